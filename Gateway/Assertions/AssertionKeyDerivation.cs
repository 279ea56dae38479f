using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Assertions;

/// <summary>
/// The generated key of rotation epoch N, the same on every instance that reads the same shared secret: HKDF-SHA256
/// of the secret with the info "gateway assertion key N" gives 384 bits, reduced into [1, n-1] of P-256 (FIPS 186-5
/// A.2.1, "extra random bits": the 128 spare bits make the bias negligible). .NET derives the public point from the
/// private scalar on import. Deterministic derivation means nothing but the one secret is ever stored, and an
/// instance never has to wait for another to publish a key.
/// </summary>
internal static class AssertionKeyDerivation
{
    // The order n of the P-256 base point (SEC 2, secp256r1).
    private static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static ECDsa Derive(ReadOnlySpan<byte> secret, long epoch)
    {
        var info = Encoding.ASCII.GetBytes("gateway assertion key " + epoch.ToString(CultureInfo.InvariantCulture));
        Span<byte> material = stackalloc byte[48];
        var scalar = new byte[32];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, material, salt: [], info);
            var d = new BigInteger(material, isUnsigned: true, isBigEndian: true) % (Order - 1) + 1;
            d.TryWriteBytes(scalar.AsSpan(scalar.Length - d.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
            var ecdsa = ECDsa.Create();
            ecdsa.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
            return ecdsa;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    /// <summary>The rotation epoch of <paramref name="now"/>: whole periods since the Unix epoch.</summary>
    public static long EpochOf(DateTimeOffset now, TimeSpan rotation) => Math.DivRem(now.ToUnixTimeMilliseconds(), (long)rotation.TotalMilliseconds).Quotient;
}
