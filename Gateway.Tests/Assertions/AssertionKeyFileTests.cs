using System.Security.Cryptography;
using Gateway.Assertions;

namespace Gateway.Tests.Assertions;

/// <summary>Gateway:Assertion:KeyFile: P-256 private keys in PEM are read in order; anything else is refused with its reason.</summary>
public sealed class AssertionKeyFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "gw-keys-" + Guid.NewGuid().ToString("N") + ".pem");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Read_Sec1AndPkcs8WithParametersBlock_KeysInOrder()
    {
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // openssl ecparam -genkey writes an EC PARAMETERS block before the key.
        File.WriteAllText(_path, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" +
            first.ExportECPrivateKeyPem() + "\n" + second.ExportPkcs8PrivateKeyPem() + "\n");
        var errors = new List<string>();

        var keys = AssertionKeyFile.Read(_path, "keys.pem", errors);

        Assert.Empty(errors);
        Assert.Equal([Kid(first), Kid(second)], keys.Select(Kid));
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "p384", ECDsa.Create(ECCurve.NamedCurves.nistP384).ExportECPrivateKeyPem() },
        { "rsa", RSA.Create(2048).ExportPkcs8PrivateKeyPem() },
        { "public only", ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfoPem() },
        { "encrypted", ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)) },
        { "no pem", "not a key" },
        { "empty", "" },
        { "garbled", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_NotP256PrivateKey_RefusedNamingTheFile(string why, string content)
    {
        File.WriteAllText(_path, content);
        var errors = new List<string>();

        var keys = AssertionKeyFile.Read(_path, "keys.pem", errors);

        Assert.Empty(keys);
        var error = Assert.Single(errors);
        Assert.StartsWith("Gateway:Assertion:KeyFile 'keys.pem'", error);
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Fact]
    public void Read_MissingFile_Refused()
    {
        var errors = new List<string>();

        AssertionKeyFile.Read(_path, "keys.pem", errors);

        Assert.Contains("cannot be read", Assert.Single(errors));
    }

    private static string Kid(ECDsa key) => new AssertionKey(key).Kid;
}
