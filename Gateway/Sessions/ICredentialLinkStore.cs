namespace Gateway.Sessions;

/// <summary>
/// Links from a verified Basic credential (a keyed hash of it, never the password) to the session it started, so a
/// cookie-less API client reuses one session without a password hash per request.
/// </summary>
internal interface ICredentialLinkStore
{
    /// <summary>The session a verified Basic credential maps to, if any.</summary>
    Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken);

    /// <summary>Maps a verified Basic credential (a keyed hash of it) to a session.</summary>
    Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken);
}
