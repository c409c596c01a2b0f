using Realtime.Bench;
using Realtime.Bench.Runner;

namespace Realtime.Tests.Bench;

/// <summary>
/// <c>--silo-env</c> and <c>--gateway-env</c>: extra environment for one of our processes (a GC setting measured
/// without a rebuild), and a clear error for an entry that is not NAME=VALUE.
/// </summary>
public sealed class ServerEnvironmentOptionTests
{
    private static readonly string Logs = Path.Combine(Path.GetTempPath(), "realtime-bench-env-test");

    [Fact]
    public void Each_process_gets_its_own_pairs_and_a_value_may_hold_an_equals_sign()
    {
        var settings = new SuiteSettings(new BenchArguments([
            "--logs", Logs,
            "--silo-env", "DOTNET_gcServer=0; DOTNET_GCgen0size=0x400000",
            "--gateway-env", "Gateway__Note=a=b",
        ]));

        Assert.Equal(new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_GCgen0size"] = "0x400000" }, settings.SiloEnvironment);
        Assert.Equal(new Dictionary<string, string> { ["Gateway__Note"] = "a=b" }, settings.GatewayEnvironment);
    }

    [Fact]
    public void Without_the_options_neither_process_gets_extra_environment()
    {
        var settings = new SuiteSettings(new BenchArguments(["--logs", Logs]));

        Assert.Empty(settings.SiloEnvironment);
        Assert.Empty(settings.GatewayEnvironment);
    }

    [Theory]
    [InlineData("DOTNET_gcServer")]
    [InlineData("=0")]
    public void An_entry_that_is_not_name_equals_value_is_refused_naming_the_option(string entry)
    {
        var error = Assert.Throws<ArgumentException>(() => new SuiteSettings(new BenchArguments(["--logs", Logs, "--gateway-env", entry])));

        Assert.Equal($"--gateway-env: '{entry}' is not NAME=VALUE", error.Message);
    }
}
