using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Realtime.Gateway;
using Realtime.Gateway.Authentication;

namespace Realtime.Tests.Gateway;

/// <summary>
/// The gateway's own handshake finds the session id in exactly the cookies and query strings Kestrel's request finds
/// it in: a browser's odd cookies beside the session must not turn a good login into a 401 on one path only.
/// </summary>
public sealed class SessionIdParityTests
{
    private readonly SessionAuthenticator _authenticator = new(null!, null!, null!, Options.Create(new GatewayOptions()), NullLogger<SessionAuthenticator>.Instance);

    [Theory]
    [InlineData("sessionid=abc123", "")]
    [InlineData("csrftoken=x; sessionid=abc123", "")]
    [InlineData("theme=dark mode; sessionid=abc123", "")]
    [InlineData("prefs={\"a\":1,\"b\":[2,3]}; sessionid=abc123", "")]
    [InlineData("_ga=GA1.1.123.456; broken; sessionid=abc123", "")]
    [InlineData("q=\"unterminated; sessionid=abc123", "")]
    [InlineData("SessionId=upper; sessionid=lower", "")]
    [InlineData("sessionid=first; sessionid=second", "")]
    [InlineData("sessionid=a%20b%3Dc", "")]
    [InlineData("sessionid=", "?sessionid=fromquery")]
    [InlineData("other=1", "?sessionid=fromquery&x=1")]
    [InlineData("other=1", "?sessionid=a+b%2Bc")]
    [InlineData("other=1", "?sessionid=one&sessionid=two")]
    [InlineData("other=1", "?x=1")]
    public void Both_paths_read_the_same_session_id(string cookie, string query)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = cookie;
        http.Request.QueryString = new QueryString(query.Length == 0 ? null : query);

        var throughKestrel = _authenticator.SessionIdOf(http.Request);
        var direct = _authenticator.SessionIdOf(cookie, query.Length == 0 ? null : query);

        Assert.Equal(NullIfEmpty(throughKestrel), NullIfEmpty(direct));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
