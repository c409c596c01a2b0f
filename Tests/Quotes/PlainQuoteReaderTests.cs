using System.Text.Json;
using Realtime.Quotes;

namespace Realtime.Tests.Quotes;

/// <summary>
/// The pump's one-pass quote reader takes exactly the quotes written as docs/protocol.md writes them, reading each to
/// the same values as the general path, and leaves every other form to that path (which reads or refuses it as before).
/// </summary>
public sealed class PlainQuoteReaderTests
{
    private static readonly JsonSerializerOptions GeneralOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    [Theory]
    [InlineData("""{"symbol":"AAPL","price":187.25,"volume":1200,"time":1767225600000}""")]
    [InlineData("""{"time":1767225600000,"volume":0,"price":1e-7,"symbol":"X.Y-Z"}""")]
    [InlineData("""{"symbol":"AAPL","price":187.25,"volume":3,"time":1,"bid":187.2,"ask":187.3}""")]
    [InlineData("""{"symbol":"AAPL","price":187.25,"volume":3,"time":1,"bid":null,"ask":null}""")]
    [InlineData("""{"\u0073ymbol":"AAPL","price":0.1,"volume":3,"time":-1}""")]
    public void A_plain_quote_is_read_to_the_values_the_general_path_reads(string json)
    {
        var item = JsonDocument.Parse(json).RootElement;

        Assert.True(PlainQuoteReader.TryRead(item, out var quote));
        Assert.Equal(item.Deserialize<Quote>(GeneralOptions), quote);
    }

    [Theory]
    [InlineData("""{"Symbol":"AAPL","price":1,"volume":1,"time":1}""", true)]
    [InlineData("""{"symbol":"AAPL","price":1,"volume":1,"time":1,"exchange":"XNAS"}""", true)]
    [InlineData("""{"symbol":"AAPL","price":1,"volume":1}""", false)]
    [InlineData("""{"symbol":"AAPL","price":1,"price":2,"volume":1,"time":1}""", true)]
    [InlineData("""{"symbol":"AAPL","price":"1","volume":1,"time":1}""", false)]
    [InlineData("""{"symbol":"AAPL","price":1,"volume":1,"time":1.5}""", false)]
    [InlineData("""{"symbol":"AAPL","price":1e400,"volume":1,"time":1}""", false)]
    [InlineData("""{"symbol":null,"price":1,"volume":1,"time":1}""", false)]
    [InlineData("""{"symbol":"AAPL","price":1,"volume":1,"time":1,"bid":"1"}""", false)]
    public void Any_other_form_is_left_to_the_general_path_which_reads_or_refuses_it_as_before(string json, bool generalPathReads)
    {
        var item = JsonDocument.Parse(json).RootElement;

        Assert.False(PlainQuoteReader.TryRead(item, out _));
        Assert.Equal(generalPathReads, QuoteServiceHandler.TryRead(item, out _, out var error));
        Assert.Equal(generalPathReads, error.Length == 0);
    }
}
