namespace Gateway.Sessions;

/// <summary>What the store keeps for one session.</summary>
/// <param name="User">User name.</param>
/// <param name="Roles">Roles at login (the principal uses the current configured roles).</param>
/// <param name="Created">Login time.</param>
/// <param name="LastSeen">Last recorded use; idle expiry is counted from it.</param>
/// <param name="AbsoluteExpiry">Hard end of the session.</param>
/// <param name="ClientIp">Client address at login.</param>
/// <param name="UserAgent">User agent at login (truncated).</param>
/// <param name="PasswordStamp">Stamp of the user's password hash at login: a changed hash ends the session.</param>
/// <param name="Method">How the session was created: basic, form, json, remember.</param>
/// <param name="Renewed">When this id was issued (login or last rotation); the renewal interval counts from it.</param>
/// <param name="Persistent">Logged in with "remember me": the cookie outlives the browser session.</param>
/// <param name="Superseded">Rotated out: still valid for the short grace window, never rotated or extended again.</param>
/// <param name="RememberSelector">Selector of the remember-me token this session came with (login with "remember me", or
/// a redemption), "" for none: revoking the session deletes that token too, so the device cannot come back by it.</param>
internal sealed record SessionRecord(
    string User,
    string[] Roles,
    DateTimeOffset Created,
    DateTimeOffset LastSeen,
    DateTimeOffset AbsoluteExpiry,
    string ClientIp,
    string UserAgent,
    string PasswordStamp,
    string Method,
    DateTimeOffset Renewed = default,
    bool Superseded = false,
    bool Persistent = false,
    string RememberSelector = "");
