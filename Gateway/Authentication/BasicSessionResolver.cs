using System.Collections.Concurrent;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Telemetry;
using Gateway.Users;

namespace Gateway.Authentication;

/// <summary>
/// Turns valid Basic credentials into a session without a bcrypt per request: a verified credential is linked
/// (by an HMAC of user, password and the user's current hash stamp, under a secret shared through the store)
/// to its session, so cookie-less clients re-sending the same credentials reuse one session. A changed password
/// changes the stamp and so the link; a wrong password never matches a link. Concurrent first requests with the
/// same credentials share one verification.
/// </summary>
internal sealed partial class BasicSessionResolver(
    ICredentialLinkStore linkStore,
    ISecretStore secrets,
    SessionService sessions,
    PasswordSignIn signIn,
    UserStore users,
    LoginThrottle throttle,
    ILogger<BasicSessionResolver> logger)
{
    /// <summary>The stamp of an unknown user's link: no hash has it (a real stamp is 12 characters), so it never matches.</summary>
    private const string NoStamp = "";

    private readonly ConcurrentDictionary<string, Lazy<Task<BasicOutcome>>> _inflight = new(StringComparer.Ordinal);
    // Keyed with the secret, fetched once per process.
    private CredentialLink? _links;

    /// <summary>
    /// The session for these credentials: a linked one, or (when <paramref name="allowCreate"/>) a new one after
    /// verifying the password. Without <paramref name="allowCreate"/> nothing is hashed or created. An unknown user
    /// takes the same steps as a wrong password for a known one (ban check, link HMAC and lookup, then the shared
    /// verification against the dummy hash), so neither the answer nor the work tells whether the user exists.
    /// </summary>
    public async Task<BasicOutcome> ResolveAsync(string user, string password, ClientInfo client, bool allowCreate, CancellationToken cancellationToken)
    {
        var entry = users.Find(user);
        var name = entry?.Name ?? user;
        // Checked before the link lookup too: a banned guesser gets 429 whatever the password, so a live link
        // cannot tell it (fast, unhashed, uncounted) which guess was right.
        if (await throttle.RetryAfterAsync(name, client.Ip, cancellationToken) is { } banned)
        {
            return BasicOutcome.Throttled(banned);
        }

        var link = await LinkAsync(name, entry?.Stamp ?? NoStamp, password, cancellationToken);
        if (await linkStore.GetCredentialLinkAsync(link, cancellationToken) is { } key && entry is not null &&
            await sessions.ResolveAsync(key, client, cancellationToken) is { } linked && linked.User == entry.Name)
        {
            GatewayTelemetry.CredentialCache(hit: true);
            return new BasicOutcome(linked, null);
        }
        GatewayTelemetry.CredentialCache(hit: false);
        if (!allowCreate)
        {
            return BasicOutcome.Failed;
        }

        // Shared by concurrent identical requests; not tied to one caller's abort.
        var work = _inflight.GetOrAdd(link, _ => new Lazy<Task<BasicOutcome>>(() => VerifyAndCreateAsync(name, password, link, client)));
        return await work.Value.WaitAsync(cancellationToken);
    }

    private async Task<BasicOutcome> VerifyAndCreateAsync(string user, string password, string link, ClientInfo client)
    {
        // Runs after the Lazy holding it is in the map, so the removal below always finds it.
        await Task.Yield();
        try
        {
            // One place in the throttle's counts for all the identical requests sharing this check.
            var outcome = await signIn.SignInAsync(new SignInRequest(user, password, "basic", client), CancellationToken.None);
            if (outcome.RetryAfter is { } wait)
            {
                return BasicOutcome.Throttled(wait);
            }
            if (outcome.Failure == PasswordFailure.Overloaded)
            {
                return BasicOutcome.Overloaded;
            }
            if (outcome.SignedIn is not { Id: var id, Session: var session })
            {
                LogBasicFailed(logger, outcome.Failure);
                return BasicOutcome.Failed;
            }
            await linkStore.SetCredentialLinkAsync(link, id.Key, session.Record.AbsoluteExpiry - session.Record.Created, CancellationToken.None);
            return new BasicOutcome(session, id);
        }
        finally
        {
            _inflight.TryRemove(link, out _);
        }
    }

    private async ValueTask<string> LinkAsync(string user, string stamp, string password, CancellationToken cancellationToken)
    {
        var links = _links ??= new CredentialLink(await secrets.GetOrCreateSecretAsync("basic-link", cancellationToken));
        return links.Compute(user, stamp, password);
    }

    [LoggerMessage(EventId = 1300, EventName = "BasicLoginFailed", Level = LogLevel.Information, Message = "Basic credentials refused: {Reason}.")]
    private static partial void LogBasicFailed(ILogger logger, PasswordFailure reason);
}

/// <summary>A Basic authentication outcome: the session, and the new id when one was created.</summary>
internal sealed record BasicOutcome(ResolvedSession? Session, SessionId? NewId)
{
    public static BasicOutcome Failed { get; } = new(null, null);

    /// <summary>Set when the credentials were not checked because the user or client is banned.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    public static BasicOutcome Throttled(TimeSpan retryAfter) => new(null, null) { RetryAfter = retryAfter };

    /// <summary>The password was not checked: no hashing capacity within <c>Gateway:Login:QueueTimeout</c> (503).</summary>
    public static BasicOutcome Overloaded { get; } = new(null, null) { IsOverloaded = true };

    public bool IsOverloaded { get; private init; }
}
