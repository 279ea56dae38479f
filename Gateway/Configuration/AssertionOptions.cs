namespace Gateway.Configuration;

/// <summary>
/// The <c>Gateway:Assertion</c> section: a signed identity assertion (an ES256 JWT) on every request forwarded with
/// an identity, and its public keys at <c>/.well-known/jwks.json</c>. Read at start; changing it needs a restart.
/// </summary>
public sealed class AssertionOptions
{
    /// <summary>The longest lifetime allowed, and the default: a token outlives the end of its session by at most this.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>How long a backend may cache the key set (<c>Cache-Control: max-age</c> of the JWKS).</summary>
    public static readonly TimeSpan JwksMaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Add <c>X-Auth-Assertion</c> and serve the JWKS. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The <c>iss</c> claim. Default empty: the gateway's public origin, as the request reached it (scheme and host).</summary>
    public string Issuer { get; set; } = "";

    /// <summary>From <c>iat</c> to <c>exp</c>. Default and maximum 00:05:00.</summary>
    public TimeSpan Lifetime { get; set; } = MaxLifetime;

    /// <summary>PEM file of one or more EC P-256 private keys; the first signs, all are published. Default empty: keys generated and shared through the store.</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>How often the generated signing key changes. Default 30.00:00:00; at least 00:05:00 (one JWKS cache lifetime).</summary>
    public TimeSpan KeyRotation { get; set; } = TimeSpan.FromDays(30);
}
