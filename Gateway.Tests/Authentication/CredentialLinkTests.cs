using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gateway.Authentication;

namespace Gateway.Tests.Authentication;

/// <summary>The link must stay byte for byte what earlier builds stored in Redis, or every live Basic link breaks.</summary>
public sealed class CredentialLinkTests
{
    private static readonly byte[] Secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray();

    public static TheoryData<string, string, string> Credentials => new()
    {
        { "alice", "AbCdEfGhIjKl", "alice-password" },
        { "alice", "", "wrong" },
        { "jösé", "AbCdEfGhIjKl", "pässwörd€" },
        { "a", "AbCdEfGhIjKl", "😀 emoji 日本語" },
        { "alice", "AbCdEfGhIjKl", "" },
        { "alice", "AbCdEfGhIjKl", new string('p', 3000) },
        { new string('ü', 200), "AbCdEfGhIjKl", new string('€', 1500) },
        { "lone\uD800", "AbCdEfGhIjKl", "\uDC00surrogates" },
    };

    [Theory]
    [MemberData(nameof(Credentials))]
    public void Compute_AnyCredentials_SameAsOneShotHmacOfConcatenation(string user, string stamp, string password)
    {
        var link = new CredentialLink(Secret);

        Assert.Equal(Expected(user, stamp, password), link.Compute(user, stamp, password));
        // The per-thread HMAC is reset after each use: a second computation gives the same link.
        Assert.Equal(Expected(user, stamp, password), link.Compute(user, stamp, password));
    }

    [Fact]
    public void Compute_ManyThreadsInterleaved_EachGetsItsOwnLink()
    {
        var link = new CredentialLink(Secret);

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            Assert.Equal(Expected("user" + i, "AbCdEfGhIjKl", "pw" + i), link.Compute("user" + i, "AbCdEfGhIjKl", "pw" + i)));
    }

    [Fact]
    public void Compute_OtherSecret_OtherLink()
    {
        var other = new CredentialLink([.. Secret.Reverse()]);

        Assert.NotEqual(new CredentialLink(Secret).Compute("alice", "s", "p"), other.Compute("alice", "s", "p"));
    }

    private static string Expected(string user, string stamp, string password) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes(user + "\0" + stamp + "\0" + password)));
}
