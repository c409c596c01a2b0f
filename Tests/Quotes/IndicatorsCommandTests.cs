using Realtime.QuoteFeed.Indicators;

namespace Realtime.Tests.Quotes;

/// <summary>The <c>indicators</c> command, run in-process.</summary>
public sealed class IndicatorsCommandTests
{
    private const string Header = "time,open,high,low,close,volume\n";

    [Fact]
    public void Prints_exactly_the_reference_file_for_the_reference_indicators()
    {
        var (code, stdout, stderr) = Run([ReferenceVectors.BarsPath, .. ReferenceVectors.Names]);

        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllText(ReferenceVectors.ExpectedPath), stdout);
    }

    [Fact]
    public void Reads_stdin_for_a_dash_and_prints_canonical_names()
    {
        var (code, stdout, _) = Run(["indicators", "-", "ma(5)", "obv"], new StringReader(File.ReadAllText(ReferenceVectors.BarsPath)));

        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("indicator,output,index,value", lines[0]);
        Assert.Equal("SMA(close,5),value,4,106.609120000000", lines[1]);
        Assert.Equal("OBV,value,0,1521.000000000000", lines[497]);
        Assert.Equal(1 + 496 + 500, lines.Length);
    }

    [Theory]
    [InlineData(new string[0], "missing the csv file")]
    [InlineData(new[] { "bars.csv" }, "missing indicator names")]
    [InlineData(new[] { "/nonexistent/bars.csv", "MA(5)" }, "cannot read /nonexistent/bars.csv")]
    [InlineData(new[] { "-", "MA(0)" }, "\"MA(0)\"")]
    [InlineData(new[] { "-", "NOPE" }, "unknown indicator")]
    public void Bad_arguments_exit_2_with_a_message(string[] args, string expectedPart)
    {
        var (code, stdout, stderr) = Run(args, new StringReader(Header));

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(expectedPart, stderr);
    }

    [Theory]
    [InlineData("", "expected the header")]
    [InlineData("date,o,h,l,c,v\n", "stdin:1: expected the header")]
    [InlineData(Header + "1,1,1,1,1\n", "stdin:2: expected 6 fields, got 5")]
    [InlineData(Header + "1,1,1,1,x,1\n", "stdin:2: \"x\" is not a number")]
    [InlineData(Header + "1.5,1,1,1,1,1\n", "is not unix seconds")]
    [InlineData(Header + "1,1,1,1,1,-1\n", "volume cannot be negative")]
    [InlineData(Header + "60,1,1,1,1,1\n60,1,1,1,1,1\n", "stdin:3: time must increase")]
    public void Bad_csv_exits_2_with_the_line(string csv, string expectedPart)
    {
        var (code, stdout, stderr) = Run(["-", "MA(5)"], new StringReader(csv));

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(expectedPart, stderr);
    }

    [Fact]
    public void Dash_without_stdin_exits_2()
    {
        Assert.Equal(2, Run(["-", "MA(5)"]).Code);
    }

    [Fact]
    public void Help_goes_to_stdout()
    {
        var (code, stdout, _) = Run(["--help"]);
        Assert.Equal(0, code);
        Assert.StartsWith("usage: indicators", stdout);
    }

    private static (int Code, string Stdout, string Stderr) Run(string[] args, TextReader? stdin = null)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var code = IndicatorsCommand.Run(args, stdin, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
