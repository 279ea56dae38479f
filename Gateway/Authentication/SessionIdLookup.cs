using Gateway.Security;
using Gateway.Sessions;

namespace Gateway.Authentication;

/// <summary>Looks a presented session id up for the cookie and token carriers, behind the guessing guard.</summary>
internal sealed class SessionIdLookup(SessionService sessions, SessionGuessingGuard guard, SessionKeyCache keys)
{
    // A banned guesser is refused before the store is asked; each unknown id it presents is counted.
    public async ValueTask<(ResolvedSession? Session, TimeSpan? Wait)> ResolveAsync(HttpContext context, SessionId id, ClientInfo client, CancellationToken cancellationToken)
    {
        if (guard.RetryAfter(context) is { } wait)
        {
            return (null, wait);
        }
        var session = await sessions.ResolveAsync(id.Key, client, cancellationToken);
        if (session is null)
        {
            return (null, await guard.RecordUnknownAsync(context, id.Key, cancellationToken));
        }
        keys.Remember(id);
        return (session, null);
    }
}
