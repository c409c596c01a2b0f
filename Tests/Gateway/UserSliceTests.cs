using Realtime.Gateway;
using Realtime.Gateway.Connections;

namespace Realtime.Tests.Gateway;

/// <summary>
/// A gateway tells its users' grains about their connections a slice per refresh round, not all at once: every user
/// falls in exactly one slice, the slices are about even, and every user is told within Gateway:UserRefreshSeconds.
/// </summary>
public sealed class UserSliceTests
{
    [Theory]
    [InlineData(10, 60, 6)]
    [InlineData(10, 15, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(20, 120, 6)]
    [InlineData(7, 60, 8)]
    public void Every_user_is_told_within_the_user_refresh_interval(int refreshSeconds, int userRefreshSeconds, int slices)
    {
        var options = new GatewayOptions { RefreshSeconds = refreshSeconds, UserRefreshSeconds = userRefreshSeconds };

        Assert.Equal(slices, GatewayRegistration.UserSlices(options));
        Assert.True(slices * refreshSeconds <= userRefreshSeconds || slices == 1);
    }

    [Fact]
    public void Each_user_falls_in_exactly_one_slice_and_the_slices_are_about_even()
    {
        const int count = 6;
        var users = Enumerable.Range(1_000_000, 60_000).Select(u => u.ToString()).ToArray();

        var sizes = Enumerable.Range(0, count).Select(i => users.Count(new UserSlice(i, count).Contains)).ToArray();

        Assert.All(users, u => Assert.Single(Enumerable.Range(0, count), i => new UserSlice(i, count).Contains(u)));
        Assert.Equal(users.Length, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, 9_000, 11_000));
    }
}
