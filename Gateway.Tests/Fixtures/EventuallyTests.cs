using Xunit.Sdk;

namespace Gateway.Tests.Fixtures;

/// <summary>The shared wait: returns once the condition holds, and otherwise fails saying what and what was last seen.</summary>
public sealed class EventuallyTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task HoldsAsync_ConditionComesTrue_Returns()
    {
        var tries = 0;

        await Eventually.HoldsAsync(() => ++tries == 3, "the third try", poll: TimeSpan.Zero);

        Assert.Equal(3, tries);
    }

    [Fact]
    public async Task HoldsAsync_NeverTrue_FailsNamingWhatAndTheSeenState()
    {
        var failed = await Assert.ThrowsAsync<FailException>(() => Eventually.HoldsAsync(() => false, "the door open", Short, seen: () => "closed"));

        Assert.Equal("the door open: not within 0.3 s (last observed: closed)", failed.Message);
    }

    [Fact]
    public async Task ValueAsync_NeverAccepted_FailsWithTheLastValue()
    {
        var n = 0;

        var failed = await Assert.ThrowsAsync<FailException>(() => Eventually.ValueAsync(() => Task.FromResult(++n), v => v < 0, "a negative", Short));

        Assert.StartsWith("a negative: not within 0.3 s (last observed: ", failed.Message);
        Assert.EndsWith($"{n})", failed.Message);
    }

    [Fact]
    public async Task WithinAsync_NeverTrue_FalseAfterTheBound()
    {
        Assert.False(await Eventually.WithinAsync(() => false, Short));
        Assert.True(await Eventually.WithinAsync(() => true, Short));
    }
}
