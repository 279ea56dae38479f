namespace Gateway.Authentication;

/// <summary>
/// One carrier of credentials the Session scheme reads. <see cref="SessionAuthenticator"/> tries them in order: the
/// session cookie, <c>X-Session-Token</c>, HTTP Basic, the remember-me cookie.
/// </summary>
internal interface ISessionResolver
{
    /// <summary>
    /// Reads this carrier into <paramref name="resolution"/>. True when authentication is decided (a session, or a
    /// failure that ends it); false to let the next carrier try.
    /// </summary>
    ValueTask<bool> ResolveAsync(SessionResolution resolution, CancellationToken cancellationToken);
}
