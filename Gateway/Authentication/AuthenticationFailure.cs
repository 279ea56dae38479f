namespace Gateway.Authentication;

/// <summary>Why the Session scheme did not authenticate a request; decides the challenge's status.</summary>
internal enum AuthenticationFailure
{
    /// <summary>No credentials at all.</summary>
    None,

    /// <summary>The store could not answer: 503 with Retry-After.</summary>
    StoreUnavailable,

    /// <summary>Basic credentials not checked for want of hashing capacity (<c>Gateway:Login:QueueTimeout</c>): 503 with Retry-After.</summary>
    Overloaded,

    /// <summary>Credentials that cannot be parsed: 400.</summary>
    Malformed,

    /// <summary>Credentials too large: 431.</summary>
    TooLarge,

    /// <summary>Wrong user or password: 401.</summary>
    InvalidCredentials,

    /// <summary>A session cookie or token that is unknown or ended: 401 (and the cookie is expired).</summary>
    SessionEnded,

    /// <summary>Cached Basic credentials re-sent right after logout: 401 challenge first.</summary>
    LoggedOut,

    /// <summary>Too many failed logins or unknown session ids from this client: 429 with Retry-After.</summary>
    Throttled,
}
