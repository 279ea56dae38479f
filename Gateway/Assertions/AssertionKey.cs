using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Assertions;

/// <summary>
/// One P-256 signing key: its credentials for signing (the private key stays in this object, never serialised or
/// logged) and its public half as a JWK. The <c>kid</c> is the key's RFC 7638 thumbprint, so every instance names
/// the same key the same way without agreeing on anything else.
/// </summary>
internal sealed class AssertionKey
{
    public AssertionKey(ECDsa ecdsa)
    {
        var security = new ECDsaSecurityKey(ecdsa);
        Kid = Base64UrlEncoder.Encode(security.ComputeJwkThumbprint());
        security.KeyId = Kid;
        Signing = new SigningCredentials(security, SecurityAlgorithms.EcdsaSha256);
        // From the exported public parameters alone: the published form cannot carry 'd' by construction.
        var q = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        Public = new JwksKey("EC", "P-256", Base64UrlEncoder.Encode(q.X!), Base64UrlEncoder.Encode(q.Y!), Kid, "sig", "ES256");
    }

    /// <summary>The key id, in the JWT header and the JWKS.</summary>
    public string Kid { get; }

    /// <summary>ES256 credentials carrying <see cref="Kid"/>.</summary>
    public SigningCredentials Signing { get; }

    /// <summary>The public key as published.</summary>
    public JwksKey Public { get; }

    /// <summary>Whether <paramref name="ecdsa"/> is on P-256, the only curve ES256 allows.</summary>
    public static bool IsP256(ECDsa ecdsa) =>
        ecdsa.KeySize == 256 && ecdsa.ExportParameters(false).Curve.Oid?.Value == ECCurve.NamedCurves.nistP256.Oid.Value;

    public override string ToString() => "P-256 key " + Kid;
}
