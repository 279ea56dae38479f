using System.Collections.Concurrent;
using System.Text;

namespace Gateway.Users;

/// <summary>
/// Verifies a password against the htpasswd entry. Unknown users and over-long passwords cost one bcrypt of
/// the usual cost too, so timing does not tell them apart. Hashing runs on its own threads (one per core), never
/// on the thread pool: a login flood queues here instead of blocking the threads that proxy traffic and talk to
/// the store.
/// </summary>
internal sealed class PasswordVerifier : IDisposable
{
    /// <summary>bcrypt reads only the first 72 bytes: longer passwords are refused, never silently truncated.</summary>
    public const int MaxPasswordBytes = 72;

    private readonly UserStore _users;
    private readonly BlockingCollection<Work> _queue = new();
    private readonly Thread[] _workers;

    public PasswordVerifier(UserStore users)
    {
        _users = users;
        _workers = Enumerable.Range(0, Environment.ProcessorCount).Select(i => new Thread(Run)
        {
            IsBackground = true,
            Name = $"bcrypt-{i}",
            Priority = ThreadPriority.BelowNormal,
        }).ToArray();
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

    public void Dispose() => _queue.CompleteAdding();

    private void Run()
    {
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            if (work.Cancellation.IsCancellationRequested)
            {
                work.Result.TrySetCanceled(work.Cancellation);
                continue;
            }
            try
            {
                work.Result.TrySetResult(BCrypt.Net.BCrypt.Verify(work.Password, work.Hash));
            }
            catch (Exception e)
            {
                work.Result.TrySetException(e);
            }
        }
    }

    private sealed record Work(string Password, string Hash, CancellationToken Cancellation)
    {
        public TaskCompletionSource<bool> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Outcome of a password check; the failure class is for logs and audit only, never for the client.</summary>
internal readonly record struct PasswordCheck(UserEntry? User, PasswordFailure Failure);

/// <summary>Why a password check failed.</summary>
internal enum PasswordFailure
{
    None,
    UnknownUser,
    WrongPassword,
    TooLong,
}
