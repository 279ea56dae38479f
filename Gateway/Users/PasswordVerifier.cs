using System.Collections.Concurrent;
using System.Text;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Users;

/// <summary>
/// Verifies a password against the htpasswd entry. Unknown users and over-long passwords cost one bcrypt of
/// the usual cost too, so timing does not tell them apart. Hashing runs on its own threads (one per core), never
/// on the thread pool, and at a lower scheduling priority (<see cref="HashingPriority"/>): a login flood queues here
/// instead of blocking the threads that proxy traffic and talk to the store, and yields the cores to them. A
/// hashing thread never completes a caller's task itself: a thread created by one (the thread pool adds workers
/// from the thread that queues work) would inherit its low priority, so results are handed to one completing
/// thread of normal priority.
/// <para>
/// The queue is bounded in time: a check no thread has started within <c>Gateway:Login:QueueTimeout</c> is refused
/// (<see cref="PasswordFailure.Overloaded"/>, a 503 for the client) rather than left waiting behind proxied traffic
/// until the client gives up. While the cores are saturated the low-priority threads get almost no time, so one more
/// thread keeps the normal priority as a floor (<see cref="RunFloor"/>).
/// </para>
/// </summary>
internal sealed partial class PasswordVerifier : IDisposable
{
    /// <summary>bcrypt reads only the first 72 bytes: longer passwords are refused, never silently truncated.</summary>
    public const int MaxPasswordBytes = 72;

    /// <summary>How often the floor thread may take one waiting check: it hashes at most once per interval.</summary>
    public static readonly TimeSpan FloorInterval = TimeSpan.FromMilliseconds(250);

    private readonly UserStore _users;
    private readonly IOptionsMonitor<GatewayOptions> _options;
    private readonly TimeProvider _time;
    private readonly Func<string, string, bool> _hash;
    private readonly TimeSpan _floorInterval;
    private readonly ConcurrentQueue<HashingWork> _queue = new();
    // At least the number of waiting checks (the floor thread takes some without counting down): a spare count
    // only wakes a thread that finds nothing.
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly (int Policy, int Nice)?[] _workerPriority;
    private readonly BlockingCollection<(HashingWork Work, bool? Matches, Exception? Error)> _done = new();
    private int _running;

    public PasswordVerifier(UserStore users, IOptionsMonitor<GatewayOptions> options, TimeProvider time, ILogger<PasswordVerifier> logger)
        : this(users, options, time, logger, Environment.ProcessorCount, FloorInterval, static (password, hash) => BCrypt.Net.BCrypt.Verify(password, hash))
    {
    }

    /// <summary>For tests: <paramref name="workers"/> low-priority threads, the floor's interval, and the hash check.</summary>
    internal PasswordVerifier(UserStore users, IOptionsMonitor<GatewayOptions> options, TimeProvider time, ILogger logger,
        int workers, TimeSpan floorInterval, Func<string, string, bool> hash)
    {
        _users = users;
        _options = options;
        _time = time;
        _logger = logger;
        _hash = hash;
        _floorInterval = floorInterval;
        _workerPriority = new (int Policy, int Nice)?[workers];
        var threads = Enumerable.Range(0, workers).Select(i => new Thread(() => Run(i))
        {
            IsBackground = true,
            Name = $"bcrypt-{i}",
            Priority = ThreadPriority.BelowNormal,
        }).Append(new Thread(RunFloor) { IsBackground = true, Name = "bcrypt-floor" }).ToArray();
        _running = threads.Length;
        new Thread(Complete) { IsBackground = true, Name = "bcrypt-done" }.Start();
        Array.ForEach(threads, t => t.Start());
    }

    public async Task<PasswordCheck> VerifyAsync(string user, string password, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entry = _users.Find(user);
        var tooLong = Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes;
        var work = new HashingWork(tooLong ? "" : password, entry is null || tooLong ? _users.DummyHash : entry.Hash, cancellationToken);
        bool? matches;
        // The timer runs on the pool at normal priority: the refusal is answered even while no hashing thread runs.
        using (_time.CreateTimer(static w => ((HashingWork)w!).TryRefuse(), work, _options.CurrentValue.Login.QueueTimeout, Timeout.InfiniteTimeSpan))
        {
            _queue.Enqueue(work);
            _available.Release();
            matches = await work.Result.Task.WaitAsync(cancellationToken);
        }

        if (matches is not { } result)
        {
            Refused();
            return new PasswordCheck(null, PasswordFailure.Overloaded);
        }
        if (entry is null)
        {
            return new PasswordCheck(null, PasswordFailure.UnknownUser);
        }
        if (tooLong)
        {
            return new PasswordCheck(null, PasswordFailure.TooLong);
        }
        return result ? new PasswordCheck(entry, PasswordFailure.None) : new PasswordCheck(null, PasswordFailure.WrongPassword);
    }

    /// <summary>Each hashing thread's scheduling policy and nice value once it has started (for tests; null until then, or off Linux).</summary>
    internal IReadOnlyList<(int Policy, int Nice)?> WorkerPriority => _workerPriority;

    /// <summary>The floor thread's scheduling policy and nice value once it has started (for tests).</summary>
    internal (int Policy, int Nice)? FloorPriority { get; private set; }

    public void Dispose() => _stopping.Cancel();
}
