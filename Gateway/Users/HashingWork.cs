namespace Gateway.Users;

/// <summary>
/// One queued password check. It is started by exactly one hashing thread or refused by its queue timer, never
/// both: whichever claims it first (<see cref="TryStart"/> or <see cref="TryRefuse"/>) wins, so a refused login
/// costs no hashing and a started one always gets its answer.
/// </summary>
internal sealed class HashingWork(string password, string hash, CancellationToken cancellation)
{
    private const int Waiting = 0;
    private const int Started = 1;
    private const int Refused = 2;

    private int _state;

    public string Password { get; } = password;

    public string Hash { get; } = hash;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Whether the password matched; null when the check was refused before any thread started it.</summary>
    public TaskCompletionSource<bool?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True while no thread has started it and it was not refused.</summary>
    public bool IsWaiting => Volatile.Read(ref _state) == Waiting;

    /// <summary>Claims the check for a hashing thread; false when it was refused already.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Waiting) == Waiting;

    /// <summary>Refuses the check unless a thread started it; the caller then gets null at once.</summary>
    public bool TryRefuse()
    {
        if (Interlocked.CompareExchange(ref _state, Refused, Waiting) != Waiting)
        {
            return false;
        }
        Result.TrySetResult(null);
        return true;
    }
}
