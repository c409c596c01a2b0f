using Realtime.Quotes.Analysis;

namespace Realtime.Tests.Quotes;

public sealed class IndicatorParserTests
{
    [Theory]
    [InlineData("MA(5)", "SMA(close,5)")]
    [InlineData("ma(5)", "SMA(close,5)")]
    [InlineData("SMA(5)", "SMA(close,5)")]
    [InlineData("SMA(close,5)", "SMA(close,5)")]
    [InlineData("  Sma ( Close , 20 )  ", "SMA(close,20)")]
    [InlineData("SMA(1)", "SMA(close,1)")]
    [InlineData("SMA(1000)", "SMA(close,1000)")]
    [InlineData("EMA(12)", "EMA(close,12)")]
    [InlineData("ema(close,26)", "EMA(close,26)")]
    [InlineData("MACD", "MACD(close,12,26,9)")]
    [InlineData("macd()", "MACD(close,12,26,9)")]
    [InlineData("MACD(5,35,5)", "MACD(close,5,35,5)")]
    [InlineData("MACD(close,12,26,9)", "MACD(close,12,26,9)")]
    [InlineData("RSI", "RSI(close,14)")]
    [InlineData("rsi(6)", "RSI(close,6)")]
    [InlineData("RSI(close,14)", "RSI(close,14)")]
    [InlineData("BOLL", "BBANDS(close,20,2)")]
    [InlineData("boll(10,1.5)", "BBANDS(close,10,1.5)")]
    [InlineData("BOLL(20,2.0)", "BBANDS(close,20,2)")]
    [InlineData("BBANDS(close,20,2)", "BBANDS(close,20,2)")]
    [InlineData("STOCH", "STOCH(9,3,3)")]
    [InlineData("stoch(14,3,3)", "STOCH(14,3,3)")]
    [InlineData("KDJ", "KDJ(9,3,3)")]
    [InlineData("kdj(9,3,3)", "KDJ(9,3,3)")]
    [InlineData("ATR", "ATR(14)")]
    [InlineData("ATR(14)", "ATR(14)")]
    [InlineData("OBV", "OBV")]
    [InlineData("obv", "OBV")]
    [InlineData("VWAP", "VWAP")]
    [InlineData("vwap()", "VWAP")]
    [InlineData("BOLL(20,0.000001)", "BBANDS(close,20,1E-06)")]
    public void Accepts_product_and_talib_spellings(string text, string canonicalName)
    {
        Assert.True(IndicatorParser.TryParse(text, out var definition, out var error), error);
        Assert.Equal(canonicalName, definition.Name);
        Assert.Equal(canonicalName, definition.Create().Name);

        // Chart keys store canonical names and parse them back, so they must round-trip.
        Assert.True(IndicatorParser.TryParse(canonicalName, out var again, out error), error);
        Assert.Equal(canonicalName, again.Name);
    }

    [Fact]
    public void Factory_creates_indicators_or_explains()
    {
        Assert.True(IndicatorFactory.TryCreate("boll", out var indicator, out var error), error);
        Assert.Equal("BBANDS(close,20,2)", indicator.Name);
        Assert.True(indicator.Latest.IsEmpty);

        Assert.False(IndicatorFactory.TryCreate("MA(x)", out indicator, out error));
        Assert.Null(indicator);
        Assert.Equal("MA period must be a whole number from 1 to 1000, got \"x\"", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("FOO")]
    [InlineData("FOO(5)")]
    [InlineData("SMA")]
    [InlineData("SMA()")]
    [InlineData("SMA(0)")]
    [InlineData("SMA(-1)")]
    [InlineData("SMA(1001)")]
    [InlineData("SMA(99999999999)")]
    [InlineData("SMA(abc)")]
    [InlineData("SMA(5.5)")]
    [InlineData("SMA(5,6)")]
    [InlineData("SMA(close)")]
    [InlineData("SMA(open,5)")]
    [InlineData("SMA(5)x")]
    [InlineData("SMA(,5)")]
    [InlineData("SMA(5,)")]
    [InlineData("SMA((5))")]
    [InlineData("SMA(5")]
    [InlineData("(5)")]
    [InlineData("S MA(5)")]
    [InlineData("SMA5")]
    [InlineData("MACD(12,26)")]
    [InlineData("MACD(26,12,9)")]
    [InlineData("MACD(12,12,9)")]
    [InlineData("MACD(12,26,0)")]
    [InlineData("RSI(1)")]
    [InlineData("BOLL(20)")]
    [InlineData("BOLL(20,0)")]
    [InlineData("BOLL(20,-2)")]
    [InlineData("BOLL(20,abc)")]
    [InlineData("BOLL(20,NaN)")]
    [InlineData("BOLL(20,101)")]
    [InlineData("STOCH(close,9,3,3)")]
    [InlineData("STOCH(9,3)")]
    [InlineData("KDJ(9,3)")]
    [InlineData("KDJ(9,3,1001)")]
    [InlineData("ATR(14,2)")]
    [InlineData("ATR(0)")]
    [InlineData("OBV(5)")]
    [InlineData("VWAP(close)")]
    public void Rejects_bad_spellings_with_a_message(string? text)
    {
        Assert.False(IndicatorParser.TryParse(text, out var definition, out var error));
        Assert.Null(definition);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("FOO(5)", "unknown indicator \"FOO\"")]
    [InlineData("SMA(5,6)", "SMA takes 1 parameter (period), got 2")]
    [InlineData("MACD(12,26)", "MACD takes 3 parameters (fast, slow, signal) or none for 12,26,9, got 2")]
    [InlineData("SMA(0)", "SMA period must be a whole number from 1 to 1000, got \"0\"")]
    [InlineData("RSI(1)", "RSI period must be a whole number from 2 to 1000, got \"1\"")]
    [InlineData("BOLL(20,x)", "BOLL deviations must be a number above 0 and at most 100, got \"x\"")]
    [InlineData("MACD(26,12,9)", "the fast period (26) must be shorter than the slow one (12)")]
    [InlineData("SMA(open,5)", "SMA can only be computed on the close")]
    [InlineData("RSI(open)", "RSI can only be computed on the close")]
    [InlineData("STOCH(close,9,3,3)", "STOCH uses the whole bar and takes no price source like \"close\"")]
    [InlineData("MA(x)", "MA period must be a whole number from 1 to 1000, got \"x\"")]
    [InlineData("SMA(5", "expected \")\" at the end")]
    [InlineData("OBV(5)", "OBV takes no parameters, got 1")]
    public void Error_messages_say_what_is_wrong(string text, string expectedPart)
    {
        Assert.False(IndicatorParser.TryParse(text, out _, out var error));
        Assert.StartsWith(expectedPart, error);
    }

    [Theory]
    [InlineData("SMA(5)", "value", 4)]
    [InlineData("EMA(12)", "value", 11)]
    [InlineData("MACD", "macd,signal,hist", 33)]
    [InlineData("RSI", "value", 14)]
    [InlineData("BOLL", "upper,middle,lower", 19)]
    [InlineData("STOCH", "slowk,slowd", 12)]
    [InlineData("KDJ", "k,d,j", 8)]
    [InlineData("ATR", "value", 14)]
    [InlineData("OBV", "value", 0)]
    [InlineData("VWAP", "value", 0)]
    public void Definitions_describe_outputs_and_lookback(string text, string outputs, int lookback)
    {
        Assert.True(IndicatorParser.TryParse(text, out var definition, out var error), error);
        Assert.Equal(outputs, string.Join(",", definition.Outputs));
        Assert.Equal(lookback, definition.Lookback);
    }
}
