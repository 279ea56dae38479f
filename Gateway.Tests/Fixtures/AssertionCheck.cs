using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Fixtures;

/// <summary>What a backend does with an assertion: fetch the gateway's key set over HTTP and validate the token against it.</summary>
public static class AssertionCheck
{
    public const string Header = "X-Auth-Assertion";

    public static async Task<JsonWebKeySet> FetchJwksAsync(HttpClient client)
    {
        var response = await client.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new JsonWebKeySet(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Validates as a strict backend would (ES256 only, iss, aud, and nbf/exp with no skew, on the real clock or on
    /// <paramref name="time"/>, a test's clock).
    /// </summary>
    public static Task<TokenValidationResult> ValidateAsync(string token, JsonWebKeySet keys, string issuer, string audience,
        TimeProvider? time = null, bool lifetime = true) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.Zero,
            ValidateLifetime = lifetime,
            LifetimeValidator = time is null ? null : (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return notBefore <= now && now < expires;
            },
        });

    /// <summary>The payload as sent, to see JSON types (an array stays an array) rather than a library's reading of it.</summary>
    public static JsonElement Payload(string token) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1])).RootElement;

    /// <summary>The one assertion the backend received (it must have received exactly one, under exactly this name).</summary>
    public static string Single(ReceivedRequest request)
    {
        Assert.Equal([Header], request.Variants(Header), StringComparer.OrdinalIgnoreCase);
        return Assert.Single(request.Values(Header));
    }

    /// <summary>The gateway's origin as a client reaching <paramref name="host"/> sees it: the default issuer.</summary>
    public static string Origin(GatewayHost host) => host.Address.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// A well-formed, current ES256 token for bob the admin with the expected issuer and audience, signed with a key the
    /// gateway never published (named <paramref name="kid"/>, e.g. the gateway's own key id).
    /// </summary>
    public static string ForgedToken(string? kid = null, string issuer = "http://127.0.0.1") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "backend",
            Claims = new Dictionary<string, object> { ["sub"] = "bob", ["roles"] = new[] { "admin" } },
            SigningCredentials = new SigningCredentials(
                new ECDsaSecurityKey(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256)) { KeyId = kid ?? "forged" },
                SecurityAlgorithms.EcdsaSha256),
        });
}
