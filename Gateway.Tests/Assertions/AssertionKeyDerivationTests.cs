using System.Security.Cryptography;
using Gateway.Assertions;

namespace Gateway.Tests.Assertions;

/// <summary>Generated keys: the same secret and epoch give the same key on every instance; anything else another key.</summary>
public sealed class AssertionKeyDerivationTests
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Derive_SameSecretAndEpoch_SameKey()
    {
        Assert.Equal(Kid(Secret, 7), Kid(Secret.ToArray(), 7));
    }

    [Fact]
    public void Derive_OtherEpochOrSecret_OtherKey()
    {
        Assert.NotEqual(Kid(Secret, 7), Kid(Secret, 8));
        Assert.NotEqual(Kid(Secret, 7), Kid(RandomNumberGenerator.GetBytes(32), 7));
    }

    [Fact]
    public void Derive_Key_SignsAndVerifiesOnP256()
    {
        using var key = AssertionKeyDerivation.Derive(Secret, 42);
        var data = "payload"u8.ToArray();

        var signature = key.SignData(data, HashAlgorithmName.SHA256);

        Assert.True(AssertionKey.IsP256(key));
        using var verifier = ECDsa.Create(key.ExportParameters(false));
        Assert.True(verifier.VerifyData(data, signature, HashAlgorithmName.SHA256));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(599_999, 0)]
    [InlineData(600_000, 1)]
    [InlineData(1_200_001, 2)]
    public void EpochOf_Time_WholePeriodsSinceUnixEpoch(long milliseconds, long epoch)
    {
        Assert.Equal(epoch, AssertionKeyDerivation.EpochOf(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), TimeSpan.FromMinutes(10)));
    }

    private static string Kid(byte[] secret, long epoch) => new AssertionKey(AssertionKeyDerivation.Derive(secret, epoch)).Kid;
}
