namespace Gateway.Sessions;

/// <summary>A live session found for the current request.</summary>
/// <param name="Key">Store key (its <see cref="SessionKey.Handle"/> is the public handle).</param>
/// <param name="Record">The stored record, with <c>LastSeen</c> as of this request when it was touched.</param>
/// <param name="Roles">The user's roles as configured now.</param>
internal sealed record ResolvedSession(SessionKey Key, SessionRecord Record, string[] Roles)
{
    public string User => Record.User;
}
