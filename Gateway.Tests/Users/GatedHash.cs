using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Users;

/// <summary>
/// A password hash check that holds every caller until the test opens the gate, then checks with bcrypt: the
/// hashing threads are busy for exactly as long as the test says, and the test sees how many checks started.
/// </summary>
public sealed class GatedHash : IDisposable
{
    private readonly ManualResetEventSlim _open = new(false);
    private int _started;

    /// <summary>Checks that a hashing thread started (refused ones never get here).</summary>
    public int Started => Volatile.Read(ref _started);

    public bool Check(string password, string hash)
    {
        Interlocked.Increment(ref _started);
        _open.Wait(TimeSpan.FromSeconds(30));
        return BCrypt.Net.BCrypt.Verify(password, hash);
    }

    public void Open() => _open.Set();

    /// <summary>Waits (bounded) until <paramref name="count"/> checks have started.</summary>
    public async Task WaitForStartedAsync(int count)
    {
        await Eventually.HoldsAsync(() => Started >= count, $"{count} checks started", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10),
            () => $"{Started} started");
    }

    // Only opened: a hashing thread may still be inside Wait.
    public void Dispose() => _open.Set();
}
