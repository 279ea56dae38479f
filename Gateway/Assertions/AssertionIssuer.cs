using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Assertions;

/// <summary>
/// The value of <c>X-Auth-Assertion</c> for an authenticated caller: a compact JWS (ES256, with <c>kid</c>) with
/// <c>iss</c>, <c>aud</c>, <c>sub</c>, <c>roles</c>, <c>sid</c> (the session handle, never its id), <c>iat</c>,
/// <c>nbf</c>, <c>exp</c> and <c>jti</c>. Signing costs far more than the rest of a proxied request, so a token is
/// reused for the same session, audience, issuer and roles until half its lifetime has passed: <c>jti</c> names a
/// token, not a request. The reuse cache is bounded; when full, tokens are signed without being kept.
/// Used by the proxy's identity transform and by forward auth.
/// </summary>
internal sealed class AssertionIssuer(IAssertionKeys keys, IOptions<GatewayOptions> options, TimeProvider time)
{
    /// <summary>Route metadata naming the <c>aud</c> of the route's assertions (default: the route's cluster id).</summary>
    public const string AudienceMetadata = "Gateway.Audience";

    private const int Capacity = 10_000;

    private readonly AssertionOptions _options = options.Value.Assertion;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<string, Reusable> _reusable = new(StringComparer.Ordinal);
    private long _lastSweep;

    /// <summary>Whether assertions are on (<c>Gateway:Assertion:Enabled</c>).</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>The <c>aud</c> of a route's assertions: its <c>Gateway.Audience</c> metadata, else its cluster id.</summary>
    public static string AudienceOf(RouteConfig route) =>
        route.Metadata?.TryGetValue(AudienceMetadata, out var audience) == true && !string.IsNullOrWhiteSpace(audience)
            ? audience
            : route.ClusterId ?? route.RouteId;

    /// <summary>
    /// The assertion for <paramref name="context"/>'s user and <paramref name="audience"/>; null when assertions are
    /// off or the caller is anonymous. Throws <see cref="SessionStoreUnavailableException"/> when the keys cannot be read.
    /// </summary>
    public ValueTask<string?> GetHeaderValueAsync(HttpContext context, string audience, CancellationToken cancellationToken)
    {
        if (!_options.Enabled || context.User.Identity is not { IsAuthenticated: true, Name: { } user } identity)
        {
            return ValueTask.FromResult<string?>(null);
        }
        var (roles, handle) = identity is SessionIdentity session
            ? (session.RolesHeader, session.Handle)
            : (string.Join(',', context.User.FindAll(ClaimTypes.Role).Select(c => c.Value)), context.User.FindFirst(SessionDefaults.HandleClaim)?.Value ?? "");
        var issuer = _options.Issuer.Length > 0 ? _options.Issuer : OriginOf(context.Request);
        var key = string.Join('\n', handle, audience, issuer, user, roles);
        var now = time.GetUtcNow();
        if (_reusable.TryGetValue(key, out var reusable) && now.UtcTicks < reusable.Until)
        {
            return ValueTask.FromResult<string?>(reusable.Token);
        }
        return SignAsync(key, new Subject(user, context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(), handle, audience, issuer), now, cancellationToken);
    }

    private async ValueTask<string?> SignAsync(string key, Subject subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ring = await keys.GetAsync(cancellationToken);
        // JWT times are whole seconds: the claims say exactly what the reuse below is computed from.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var lifetime = TimeSpan.FromSeconds(Math.Floor(_options.Lifetime.TotalSeconds));
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = subject.User,
            ["roles"] = subject.Roles,
            [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
        };
        if (subject.Handle.Length > 0)
        {
            claims[JwtRegisteredClaimNames.Sid] = subject.Handle;
        }
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = subject.Issuer,
            Audience = subject.Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = ring.Signing.Signing,
        });
        if (ExpiringEntries.Sweep(_reusable, r => r.Until, ref _lastSweep, now.UtcTicks, lifetime.Ticks / 2, Capacity) || _reusable.ContainsKey(key))
        {
            _reusable[key] = new Reusable(token, (issuedAt + lifetime / 2).UtcTicks);
        }
        return token;
    }

    /// <summary>The gateway's public origin as this request reached it (after trusted <c>X-Forwarded-*</c>).</summary>
    private static string OriginOf(HttpRequest request) =>
        request.Scheme + "://" + (request.Host.HasValue ? request.Host.Value!.ToLowerInvariant() : "localhost");

    private sealed record Reusable(string Token, long Until);

    private sealed record Subject(string User, string[] Roles, string Handle, string Audience, string Issuer);
}
