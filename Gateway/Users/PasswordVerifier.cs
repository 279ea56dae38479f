using System.Text;

namespace Gateway.Users;

/// <summary>
/// Verifies a password against the htpasswd entry. Unknown users and over-long passwords cost one bcrypt of
/// the usual cost too, so timing does not tell them apart. Concurrent hashes are bounded by the core count, so
/// a login flood queues instead of starving the proxy.
/// </summary>
internal sealed class PasswordVerifier(UserStore users) : IDisposable
{
    /// <summary>bcrypt reads only the first 72 bytes: longer passwords are refused, never silently truncated.</summary>
    public const int MaxPasswordBytes = 72;

    private readonly SemaphoreSlim _gate = new(Environment.ProcessorCount, Environment.ProcessorCount);

    public async Task<PasswordCheck> VerifyAsync(string user, string password, CancellationToken cancellationToken)
    {
        var entry = users.Find(user);
        var tooLong = Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes;
        var hash = entry is null || tooLong ? users.DummyHash : entry.Hash;
        var candidate = tooLong ? "" : password;

        await _gate.WaitAsync(cancellationToken);
        bool matches;
        try
        {
            matches = BCrypt.Net.BCrypt.Verify(candidate, hash);
        }
        finally
        {
            _gate.Release();
        }

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

    public void Dispose() => _gate.Dispose();
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
