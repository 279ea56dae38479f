using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gateway.Audit;
using Gateway.Configuration;
using Gateway.Users;
using Microsoft.Extensions.Options;

namespace Gateway.Sessions;

/// <summary>
/// Remember-me tokens: cookie <c>&lt;name&gt;-remember</c> = <c>selector.validator</c>; the store keeps only a SHA-256
/// of the validator. Redeeming one creates a fresh session and rotates the validator (the previous one stays
/// good for a minute, for tabs racing each other). A wrong validator for a known selector means the token was
/// stolen and copied: all of the user's remember tokens and sessions are revoked.
/// </summary>
internal sealed class RememberMeService(
    ISessionStore store,
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

    public async Task IssueAsync(HttpResponse response, UserEntry user, CancellationToken cancellationToken)
    {
        var selector = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        var record = new RememberRecord(user.Name, [], [], now, now + options.CurrentValue.RememberMe.Lifetime, user.Stamp);
        await SaveWithNewValidatorAsync(response, selector, record, cancellationToken);
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
        if (current)
        {
            await SaveWithNewValidatorAsync(context.Response, selector, record with { PreviousHash = record.ValidatorHash, RotatedAt = time.GetUtcNow() }, cancellationToken);
        }
        return await sessions.CreateAsync(user, "remember", client, persistent: true, cancellationToken);
    }

    /// <summary>Forgets this browser's token (logout).</summary>
    public async Task ForgetAsync(HttpContext context, string user, CancellationToken cancellationToken)
    {
        if (context.Request.Cookies[CookieName] is { } value && TrySplit(value, out var selector, out _))
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

    public void Expire(HttpResponse response) => response.Cookies.Append(CookieName, "", CookieOptions(TimeSpan.Zero));

    private async Task SaveWithNewValidatorAsync(HttpResponse response, string selector, RememberRecord record, CancellationToken cancellationToken)
    {
        var validator = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await store.SaveRememberAsync(selector, record with { ValidatorHash = SHA256.HashData(Encoding.ASCII.GetBytes(validator)) }, cancellationToken);
        response.Cookies.Append(CookieName, selector + "." + validator, CookieOptions(record.Expires - time.GetUtcNow()));
    }

    private CookieOptions CookieOptions(TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = options.CurrentValue.Session.SecureCookie,
        SameSite = SameSiteMode.Lax,
        Path = "/",
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
