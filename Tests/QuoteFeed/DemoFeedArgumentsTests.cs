using Realtime.QuoteFeed.Demo;

namespace Realtime.Tests.QuoteFeed;

public sealed class DemoFeedArgumentsTests
{
    [Fact]
    public void No_options_give_the_documented_defaults()
    {
        Assert.True(DemoFeedArguments.TryParse([], out var options, out _));

        Assert.Equal(new DemoFeedOptions(), options);
        Assert.Equal("127.0.0.1:6379", options.Redis);
        Assert.Equal("queue:rtserver", options.Queue);
        Assert.Equal((8, 20, 600), (options.Symbols, options.Rate, options.History));
        Assert.Null(options.Seed);
        Assert.Null(options.Ticks);
    }

    [Fact]
    public void Every_option_is_read_with_a_space_or_an_equals_sign()
    {
        Assert.True(DemoFeedArguments.TryParse(
            ["--redis", "10.0.0.5:6380", "--queue=queue:other", "--symbols", "3", "--rate=100", "--history", "0", "--seed", "-7", "--ticks", "5"],
            out var options,
            out var error), error);

        Assert.Equal(
            new DemoFeedOptions { Redis = "10.0.0.5:6380", Queue = "queue:other", Symbols = 3, Rate = 100, History = 0, Seed = -7, Ticks = 5 },
            options);
    }

    [Theory]
    [InlineData(new[] { "--rate" }, "--rate needs a value")]
    [InlineData(new[] { "--rate", "fast" }, "--rate must be a whole number from 1 to 10000, not 'fast'")]
    [InlineData(new[] { "--rate", "0" }, "--rate must be a whole number from 1 to 10000")]
    [InlineData(new[] { "--rate", "-5" }, "--rate must be a whole number")]
    [InlineData(new[] { "--symbols", "1001" }, "--symbols must be a whole number from 1 to 1000")]
    [InlineData(new[] { "--symbols", "2.5" }, "--symbols must be a whole number")]
    [InlineData(new[] { "--history", "-1" }, "--history must be a whole number from 0 to 10000")]
    [InlineData(new[] { "--ticks", "0" }, "--ticks must be a positive whole number")]
    [InlineData(new[] { "--seed", "abc" }, "--seed must be a whole number")]
    [InlineData(new[] { "--queue", " " }, "--queue must name a Redis list")]
    [InlineData(new[] { "--redis", "" }, "--redis must be HOST:PORT")]
    [InlineData(new[] { "--speed", "3" }, "unknown option '--speed'")]
    [InlineData(new[] { "fast" }, "unexpected argument 'fast'")]
    [InlineData(new[] { "--rate", "--seed", "1" }, "--rate must be a whole number from 1 to 10000, not '--seed'")]
    public void A_bad_argument_is_refused_with_a_message_naming_it(string[] args, string message)
    {
        Assert.False(DemoFeedArguments.TryParse(args, out var options, out var error));

        Assert.Null(options);
        Assert.StartsWith(message, error);
    }
}
