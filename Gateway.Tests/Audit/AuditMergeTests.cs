using Gateway.Audit;

namespace Gateway.Tests.Audit;

/// <summary>
/// The lifecycle and security streams read as one (<see cref="AuditMerge"/>), without a store: newest first, cut at the
/// count, equal times ordered by the store's sequence and, when that ties too, the security entry first.
/// </summary>
public sealed class AuditMergeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // An entry as a store returns it: the event (its Handle naming it here) and the store's sequence number.
    private static (AuditEvent Event, long Sequence) At(int seconds, string name, long sequence = 0) =>
        (new AuditEvent(T0.AddSeconds(seconds), "created", "alice", name, null, null, null), sequence);

    private static string[] Merge((AuditEvent, long)[] lifecycle, (AuditEvent, long)[] security, int count) =>
        AuditMerge.NewestFirst(lifecycle, security, count, e => e.Item1, e => e.Item2).Select(e => e.Handle!).ToArray();

    [Theory]
    [InlineData(10, new[] { "l5", "s4", "l3", "s2", "l1" })]
    [InlineData(3, new[] { "l5", "s4", "l3" })]
    public void NewestFirst_Interleaved_OneListNewestFirstCutAtCount(int count, string[] expected)
    {
        var merged = Merge([At(5, "l5"), At(3, "l3"), At(1, "l1")], [At(4, "s4"), At(2, "s2")], count);

        Assert.Equal(expected, merged);
    }

    [Fact]
    public void NewestFirst_OneStreamEmpty_TheOtherAsItIs()
    {
        Assert.Equal(["s4", "s2"], Merge([], [At(4, "s4"), At(2, "s2")], 10));
        Assert.Equal(["l5", "l3"], Merge([At(5, "l5"), At(3, "l3")], [], 10));
        Assert.Empty(Merge([], [], 10));
    }

    [Fact]
    public void NewestFirst_SameTime_HigherSequenceFirstThenSecurityOnATie()
    {
        var bySequence = Merge([At(1, "l-later", sequence: 8)], [At(1, "s-earlier", sequence: 7)], 10);
        var tied = Merge([At(1, "l", sequence: 7)], [At(1, "s", sequence: 7)], 10);

        Assert.Equal(["l-later", "s-earlier"], bySequence);
        Assert.Equal(["s", "l"], tied);
    }
}
