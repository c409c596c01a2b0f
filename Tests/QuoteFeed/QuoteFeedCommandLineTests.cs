using System.Diagnostics;
using Realtime.QuoteFeed;
using Realtime.QuoteFeed.Demo;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.QuoteFeed;

/// <summary>The quote feed program as an operator runs it: subcommands, exit codes, messages, signals.</summary>
public sealed class QuoteFeedCommandLineTests : IAsyncLifetime
{
    private readonly RedisServer _redis = RedisServer.Shared;
    private readonly string _queue = $"queue:test:feed:{Guid.NewGuid():N}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _redis.Database.KeyDeleteAsync(_queue);

    [Theory]
    [InlineData]
    [InlineData("--help")]
    public async Task No_arguments_or_help_print_the_usage_and_exit_0(params string[] args)
    {
        var (code, stdout, stderr) = await Run(args);

        Assert.Equal(0, code);
        Assert.Contains("usage:", stdout);
        Assert.Contains("demo", stdout);
        Assert.Contains("indicators", stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task An_unknown_command_prints_the_usage_on_stderr_and_exits_2()
    {
        var (code, stdout, stderr) = await Run("fly");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("unknown command 'fly'", stderr);
        Assert.Contains("usage:", stderr);
    }

    [Fact]
    public async Task Demo_with_a_bad_argument_says_which_and_exits_2()
    {
        var (code, _, stderr) = await Run("demo", "--rate", "lots");

        Assert.Equal(2, code);
        Assert.Contains("--rate must be a whole number", stderr);
    }

    [Fact]
    public async Task Indicators_is_handed_to_the_indicators_command()
    {
        var (_, _, stderr) = await Run("indicators");

        Assert.DoesNotContain("unknown command", stderr);
    }

    [Fact]
    public async Task Demo_with_a_tick_limit_feeds_the_queue_and_exits_0()
    {
        var (code, stdout, stderr) = await Run("demo", "--redis", _redis.ConnectionString, "--queue", _queue,
            "--symbols", "2", "--history", "5", "--ticks", "2", "--seed", "3");

        Assert.True(code == 0, stderr);
        Assert.Contains("seed 3", stdout);
        Assert.Equal(2 + 2, await _redis.Database.ListLengthAsync(_queue));
    }

    [Fact]
    public async Task Demo_gives_up_on_an_unreachable_redis_with_a_clear_message_and_exit_1()
    {
        var port = FreePort.Next();
        var options = new DemoFeedOptions { Redis = $"127.0.0.1:{port},password=hunter2", ConnectTimeout = TimeSpan.FromSeconds(1) };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await DemoCommand.Run(options, stdout, stderr, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains($"cannot reach Redis at 127.0.0.1:{port}", stderr.ToString());
        Assert.DoesNotContain("hunter2", stderr.ToString() + stdout);
    }

    [Fact]
    public async Task The_demo_process_stops_cleanly_with_exit_0_on_SIGTERM()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { FeedAssembly(), "demo", "--redis", _redis.ConnectionString, "--queue", _queue, "--history", "0", "--rate", "50" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await Eventually.True(async () => process.HasExited || await _redis.Database.ListLengthAsync(_queue) > 0, "the feed pushed quotes", TimeSpan.FromSeconds(60));
            if (process.HasExited)
            {
                Assert.Fail($"The feed exited early with {process.ExitCode}: {await errors}");
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
            {
                await kill.WaitForExitAsync();
            }
            await process.WaitForExitAsync().WaitAsync(Eventually.DefaultTimeout);

            Assert.True(process.ExitCode == 0, await errors);
            Assert.Contains("stopped after", await output);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.Run(args, TextReader.Null, stdout, stderr, CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string FeedAssembly()
    {
        // Tests/bin/<Configuration>/net10.0 -> QuoteFeed/bin/<Configuration>/net10.0
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryPaths.Root, "QuoteFeed", "bin", testBin.Parent!.Name, testBin.Name, "Realtime.Orleans.QuoteFeed.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first; the quote feed is missing", path);
    }
}
