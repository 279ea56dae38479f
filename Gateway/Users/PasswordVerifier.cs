using System.Collections.Concurrent;
using System.Text;

namespace Gateway.Users;

/// <summary>
/// Verifies a password against the htpasswd entry. Unknown users and over-long passwords cost one bcrypt of
/// the usual cost too, so timing does not tell them apart. Hashing runs on its own threads (one per core), never
/// on the thread pool, and at a lower scheduling priority (<see cref="HashingPriority"/>): a login flood queues here
/// instead of blocking the threads that proxy traffic and talk to the store, and yields the cores to them. A
/// hashing thread never completes a caller's task itself: a thread created by one (the thread pool adds workers
/// from the thread that queues work) would inherit its low priority, so results are handed to one completing
/// thread of normal priority.
/// </summary>
internal sealed class PasswordVerifier : IDisposable
{
    /// <summary>bcrypt reads only the first 72 bytes: longer passwords are refused, never silently truncated.</summary>
    public const int MaxPasswordBytes = 72;

    private readonly UserStore _users;
    private readonly BlockingCollection<Work> _queue = new();
    private readonly Thread[] _workers;
    private readonly (int Policy, int Nice)?[] _workerPriority;
    private readonly BlockingCollection<(Work Work, bool? Matches, Exception? Error)> _done = new();
    private int _running;

    public PasswordVerifier(UserStore users)
    {
        _users = users;
        _workerPriority = new (int Policy, int Nice)?[Environment.ProcessorCount];
        _workers = Enumerable.Range(0, Environment.ProcessorCount).Select(i => new Thread(() => Run(i))
        {
            IsBackground = true,
            Name = $"bcrypt-{i}",
            Priority = ThreadPriority.BelowNormal,
        }).ToArray();
        _running = _workers.Length;
        new Thread(Complete) { IsBackground = true, Name = "bcrypt-done" }.Start();
        Array.ForEach(_workers, w => w.Start());
    }

    public async Task<PasswordCheck> VerifyAsync(string user, string password, CancellationToken cancellationToken)
    {
        var entry = _users.Find(user);
        var tooLong = Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes;
        var work = new Work(tooLong ? "" : password, entry is null || tooLong ? _users.DummyHash : entry.Hash, cancellationToken);
        _queue.Add(work, cancellationToken);
        var matches = await work.Result.Task.WaitAsync(cancellationToken);

        if (entry is null)
        {
            return new PasswordCheck(null, PasswordFailure.UnknownUser);
        }
        if (tooLong)
        {
            return new PasswordCheck(null, PasswordFailure.TooLong);
        }
        return matches ? new PasswordCheck(entry, PasswordFailure.None) : new PasswordCheck(null, PasswordFailure.WrongPassword);
    }

    /// <summary>Each hashing thread's scheduling policy and nice value once it has started (for tests; null until then, or off Linux).</summary>
    internal IReadOnlyList<(int Policy, int Nice)?> WorkerPriority => _workerPriority;

    public void Dispose() => _queue.CompleteAdding();

    private void Run(int index)
    {
        HashingPriority.Lower();
        _workerPriority[index] = HashingPriority.Current();
        Interlocked.MemoryBarrier();
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            if (work.Cancellation.IsCancellationRequested)
            {
                _done.Add((work, null, null));
                continue;
            }
            try
            {
                _done.Add((work, BCrypt.Net.BCrypt.Verify(work.Password, work.Hash), null));
            }
            catch (Exception e)
            {
                _done.Add((work, null, e));
            }
        }
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _done.CompleteAdding();
        }
    }

    // At normal priority: completing a task queues its continuation, which may add a thread to the pool.
    private void Complete()
    {
        foreach (var (work, matches, error) in _done.GetConsumingEnumerable())
        {
            if (error is not null)
            {
                work.Result.TrySetException(error);
            }
            else if (matches is { } result)
            {
                work.Result.TrySetResult(result);
            }
            else
            {
                work.Result.TrySetCanceled(work.Cancellation);
            }
        }
    }

    private sealed record Work(string Password, string Hash, CancellationToken Cancellation)
    {
        public TaskCompletionSource<bool> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Outcome of a password check; the failure class is for logs and audit only, never for the client.</summary>
internal readonly record struct PasswordCheck(UserEntry? User, PasswordFailure Failure)
{
    /// <summary>The failure's class as the login metrics name it, or null for a success.</summary>
    public string? FailureClass => Failure switch
    {
        PasswordFailure.None => null,
        PasswordFailure.UnknownUser => "unknown_user",
        PasswordFailure.WrongPassword => "wrong_password",
        PasswordFailure.TooLong => "password_too_long",
        _ => "other",
    };
}

/// <summary>Why a password check failed.</summary>
internal enum PasswordFailure
{
    None,
    UnknownUser,
    WrongPassword,
    TooLong,
}
