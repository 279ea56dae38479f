using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gateway.Configuration;
using Gateway.Users;
using Microsoft.Extensions.Options;

namespace Gateway.Sessions;

/// <summary>
/// Remember-me tokens: cookie <c>&lt;name&gt;-remember</c> = <c>selector.validator</c>; the store keeps only a SHA-256
/// of the validator. Each session created with a token records its selector, so revoking the session deletes the
/// token. Redeeming one creates a fresh session, then rotates the validator by compare and set (the previous one
/// stays good for a minute, for tabs racing each other; a redemption that loses the race keeps the cookie it has).
/// A wrong validator for a known selector means the token was stolen and copied: all of the user's remember tokens
/// and sessions are revoked.
/// </summary>
internal sealed class RememberMeService(
    IRememberMeStore store,
    SessionService sessions,
    UserStore users,
    AuditTrail audit,
    IOptionsMonitor<GatewayOptions> options,
    TimeProvider time)
{
    private const int SelectorLength = 22;
    private const int ValidatorLength = 43;
    private static readonly TimeSpan PreviousValidatorGrace = TimeSpan.FromMinutes(1);

    public string CookieName => options.CurrentValue.Session.CookieName + "-remember";

    /// <summary>A selector for a new token: the session is created with it before the token is issued.</summary>
    public static string NewSelector() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public async Task IssueAsync(HttpResponse response, UserEntry user, string selector, CancellationToken cancellationToken)
    {
        var (validator, hash) = NewValidator();
        var now = time.GetUtcNow();
        var record = new RememberRecord(user.Name, hash, [], now, now + options.CurrentValue.RememberMe.Lifetime, user.Stamp);
        await store.SaveRememberAsync(selector, record, cancellationToken);
        SetCookie(response, selector, validator, record.Expires);
    }

    /// <summary>A new session from the request's remember cookie, or null (the cookie is then expired).</summary>
    public async Task<(SessionId Id, ResolvedSession Session)?> RedeemAsync(HttpContext context, string value, ClientInfo client, CancellationToken cancellationToken)
    {
        if (!TrySplit(value, out var selector, out var validator) || await store.GetRememberAsync(selector, cancellationToken) is not { } record)
        {
            Expire(context.Response);
            return null;
        }
        var user = users.Find(record.User);
        if (user is null || user.Stamp != record.PasswordStamp || record.Expires <= time.GetUtcNow())
        {
            await store.DeleteRememberAsync(selector, record.User, cancellationToken);
            Expire(context.Response);
            return null;
        }

        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(validator));
        var current = CryptographicOperations.FixedTimeEquals(hash, record.ValidatorHash);
        var previous = !current && record.PreviousHash.Length > 0 && CryptographicOperations.FixedTimeEquals(hash, record.PreviousHash) &&
                       time.GetUtcNow() - record.RotatedAt < PreviousValidatorGrace;
        if (!current && !previous)
        {
            await audit.RecordAsync("remember_theft", record.User, null, "validator_mismatch", null, client.Ip);
            await RevokeAllAsync(record.User, cancellationToken);
            await sessions.RevokeAllAsync(record.User, "theft", "gateway", client.Ip, cancellationToken);
            Expire(context.Response);
            return null;
        }
        // The session first: when it cannot be created (store error, cap) the browser's validator stays the current one.
        var created = await sessions.CreateAsync(user, "remember", client, selector, cancellationToken);
        if (current)
        {
            var (next, nextHash) = NewValidator();
            switch (await store.RotateRememberAsync(selector, hash, nextHash, time.GetUtcNow(), cancellationToken))
            {
                case RememberRotation.Rotated:
                    SetCookie(context.Response, selector, next, record.Expires);
                    break;
                case RememberRotation.Gone:
                    // Revoked meanwhile (sign-out elsewhere, theft): the new session must not outlive its token.
                    await sessions.EndAsync(created.Session, "remember_revoked", "gateway", client.Ip, cancellationToken);
                    Expire(context.Response);
                    return null;
                case RememberRotation.Lost:
                    // A parallel redemption rotated first: this validator is now its previous one, good for the grace,
                    // and the browser gets the new one from that answer. Not a theft.
                    break;
            }
        }
        return created;
    }

    /// <summary>Forgets this browser's token (logout).</summary>
    public async Task ForgetAsync(HttpContext context, string user, CancellationToken cancellationToken)
    {
        // Read as the authentication handler does: exact name (Request.Cookies ignores case and keeps the last copy).
        if (CookieHeader.Find(context.Request.Headers.Cookie, CookieName) is (1, { } value) && TrySplit(value, out var selector, out _))
        {
            await store.DeleteRememberAsync(selector, user, cancellationToken);
        }
        Expire(context.Response);
    }

    /// <summary>Forgets every token of the user (logout everywhere, theft).</summary>
    public async Task RevokeAllAsync(string user, CancellationToken cancellationToken)
    {
        foreach (var selector in await store.RememberSelectorsAsync(user, cancellationToken))
        {
            await store.DeleteRememberAsync(selector, user, cancellationToken);
        }
    }

    public void Expire(HttpResponse response) => SessionCookies.Append(response, CookieName, "", CookieOptions(TimeSpan.Zero));

    private static (string Validator, byte[] Hash) NewValidator()
    {
        var validator = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (validator, SHA256.HashData(Encoding.ASCII.GetBytes(validator)));
    }

    private void SetCookie(HttpResponse response, string selector, string validator, DateTimeOffset expires) =>
        SessionCookies.Append(response, CookieName, selector + "." + validator, CookieOptions(expires - time.GetUtcNow()));

    private CookieOptions CookieOptions(TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = options.CurrentValue.Session.SecureCookie,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Domain = options.CurrentValue.Session.CookieDomain is { Length: > 0 } domain ? domain : null,
        MaxAge = maxAge > TimeSpan.Zero ? maxAge : TimeSpan.Zero,
        IsEssential = true,
    };

    private static bool TrySplit(string value, out string selector, out string validator)
    {
        selector = validator = "";
        if (value.Length != SelectorLength + 1 + ValidatorLength || value[SelectorLength] != '.' ||
            value.AsSpan().ContainsAnyExcept(".ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
        {
            return false;
        }
        selector = value[..SelectorLength];
        validator = value[(SelectorLength + 1)..];
        return !selector.Contains('.') && !validator.Contains('.');
    }
}
