using Gateway.Configuration;
using Gateway.Tests.Fixtures;
using Gateway.Users;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Users;

/// <summary>
/// The hashing queue's bound (<c>Gateway:Login:QueueTimeout</c>) and its floor thread, with the hashing threads held
/// by <see cref="GatedHash"/>: which checks start, which are refused, never how long anything took.
/// </summary>
public sealed class PasswordVerifierQueueTests : IDisposable
{
    private static readonly TimeSpan Never = Timeout.InfiniteTimeSpan;

    private readonly TempHtpasswd _file = TempHtpasswd.Create(("alice", "correct horse"));
    private readonly GatedHash _gate = new();
    private readonly LogCapture _logs = new();
    private readonly ManualTimeProvider _clock = new();
    private readonly GatewayOptions _options = new();
    private PasswordVerifier? _verifier;

    public void Dispose()
    {
        _gate.Dispose();
        _verifier?.Dispose();
        _file.Dispose();
    }

    [Fact]
    public async Task VerifyAsync_NoThreadFreeWithinQueueTimeout_RefusedWithoutHashing()
    {
        var verifier = Start(workers: 1, floorInterval: Never, queueTimeout: TimeSpan.FromSeconds(30));
        var first = verifier.VerifyAsync("alice", "correct horse", CancellationToken.None);
        await _gate.WaitForStartedAsync(1);
        _options.Login.QueueTimeout = TimeSpan.FromMilliseconds(50);

        var refused = await verifier.VerifyAsync("alice", "correct horse", CancellationToken.None);

        Assert.Equal(PasswordFailure.Overloaded, refused.Failure);
        Assert.Null(refused.User);
        _gate.Open();
        // Started before the bound, it is answered however long it then took.
        Assert.Equal("alice", (await first).User?.Name);
        Assert.Equal("alice", (await verifier.VerifyAsync("alice", "correct horse", CancellationToken.None)).User?.Name);
        Assert.Equal(2, _gate.Started);
    }

    [Fact]
    public async Task VerifyAsync_NoLowPriorityThreadRuns_FloorThreadChecks()
    {
        // No low-priority thread at all: as if saturated cores gave them no time.
        var verifier = Start(workers: 0, floorInterval: TimeSpan.FromMilliseconds(10), queueTimeout: TimeSpan.FromSeconds(30));
        _gate.Open();

        var check = await verifier.VerifyAsync("alice", "correct horse", CancellationToken.None);

        Assert.Equal("alice", check.User?.Name);
    }

    [Fact]
    public async Task VerifyAsync_FloorThreadBusy_NoSecondNormalPriorityCheck()
    {
        // The floor is one thread hashing one check at a time: its share of the cores stays bounded.
        var verifier = Start(workers: 0, floorInterval: TimeSpan.FromMilliseconds(10), queueTimeout: TimeSpan.FromSeconds(30));
        var first = verifier.VerifyAsync("alice", "correct horse", CancellationToken.None);
        await _gate.WaitForStartedAsync(1);
        _options.Login.QueueTimeout = TimeSpan.FromMilliseconds(300);

        var refused = await verifier.VerifyAsync("alice", "wrong", CancellationToken.None);

        Assert.Equal(PasswordFailure.Overloaded, refused.Failure);
        Assert.Equal(1, _gate.Started);
        _gate.Open();
        Assert.Equal("alice", (await first).User?.Name);
    }

    [Fact]
    public async Task VerifyAsync_ManyRefusals_OneLogLinePerInterval()
    {
        var verifier = Start(workers: 1, floorInterval: Never, queueTimeout: TimeSpan.FromSeconds(30));
        var held = verifier.VerifyAsync("alice", "correct horse", CancellationToken.None);
        await _gate.WaitForStartedAsync(1);
        _options.Login.QueueTimeout = TimeSpan.FromMilliseconds(20);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(PasswordFailure.Overloaded, (await verifier.VerifyAsync("alice", "x", CancellationToken.None)).Failure);
        }
        Assert.Single(Refusals());
        _clock.Advance(PasswordVerifier.RefusalLogInterval);
        Assert.Equal(PasswordFailure.Overloaded, (await verifier.VerifyAsync("alice", "x", CancellationToken.None)).Failure);

        var lines = Refusals();
        Assert.Equal(2, lines.Count);
        Assert.Contains("Count=1 ", lines[0].Values + " ");
        Assert.Contains("Count=3 ", lines[1].Values + " ");
        _gate.Open();
        await held;
    }

    private List<LogEntry> Refusals() => _logs.Entries.Where(e => e.EventId.Id == 1110).ToList();

    private PasswordVerifier Start(int workers, TimeSpan floorInterval, TimeSpan queueTimeout)
    {
        _options.Login.QueueTimeout = queueTimeout;
        _verifier = new PasswordVerifier(_file.Users, new TestOptionsMonitor<GatewayOptions>(_options), _clock,
            _logs.CreateLogger(nameof(PasswordVerifier)), workers, floorInterval, _gate.Check);
        return _verifier;
    }
}
