using System.Buffers.Text;
using System.Security.Cryptography;
using Gateway.Sessions;

namespace Gateway.Tests.Sessions;

public sealed class SessionIdTests
{
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public void New_Always_Returns43CharacterBase64UrlThatParsesToTheSameKey()
    {
        var id = SessionId.New();

        Assert.Equal(SessionId.EncodedLength, id.Value.Length);
        Assert.All(id.Value, c => Assert.Contains(c, Base64UrlAlphabet));
        Assert.True(SessionId.TryParse(id.Value, out var parsed));
        Assert.Equal(id.Value, parsed.Value);
        Assert.Equal(id.Key, parsed.Key);
    }

    [Fact]
    public void New_ManyCalls_ReturnsDistinctIdsAndKeys()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => SessionId.New()).ToList();

        Assert.Equal(ids.Count, ids.Select(i => i.Value).Distinct().Count());
        Assert.Equal(ids.Count, ids.Select(i => i.Key.Handle).Distinct().Count());
    }

    [Fact]
    public void Key_OfId_IsBase64UrlSha256OfTheIdBytes()
    {
        var id = SessionId.New();
        var bytes = Base64Url.DecodeFromChars(id.Value);

        Assert.Equal(32, bytes.Length);
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(bytes)), id.Key.Value);
    }

    [Fact]
    public void Key_OfId_NeverEqualsOrContainsTheId()
    {
        for (var i = 0; i < 100; i++)
        {
            var id = SessionId.New();

            Assert.NotEqual(id.Value, id.Key.Value);
            Assert.DoesNotContain(id.Key.Handle, id.Value);
            Assert.NotEqual(id.Value, id.Key.ToString());
        }
    }

    [Fact]
    public void Handle_OfKey_Is16CharacterPrefixOfKey()
    {
        var key = SessionId.New().Key;

        Assert.Equal(SessionKey.HandleLength, key.Handle.Length);
        Assert.Equal(16, key.Handle.Length);
        Assert.StartsWith(key.Handle, key.Value);
        Assert.Equal(key.Handle, key.ToString());
    }

    [Fact]
    public void TryParse_KnownBytes_ReturnsExpectedKey()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var text = Base64Url.EncodeToString(bytes);

        Assert.True(SessionId.TryParse(text, out var id));
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(bytes)), id.Key.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(44)]
    [InlineData(86)]
    public void TryParse_WrongLength_ReturnsFalse(int length)
    {
        var text = (SessionId.New().Value + SessionId.New().Value)[..length];

        Assert.False(SessionId.TryParse(text, out var id));
        Assert.Null(id.Value);
    }

    [Theory]
    [InlineData('+')]
    [InlineData('/')]
    [InlineData('=')]
    [InlineData(' ')]
    [InlineData('\t')]
    [InlineData('\n')]
    [InlineData('.')]
    [InlineData('%')]
    [InlineData('é')]
    public void TryParse_ForeignCharacter_ReturnsFalse(char foreign)
    {
        var value = SessionId.New().Value;
        foreach (var position in new[] { 0, 20, 42 })
        {
            var text = value[..position] + foreign + value[(position + 1)..];

            Assert.False(SessionId.TryParse(text, out _));
        }
    }

    [Fact]
    public void TryParse_SurroundingWhitespace_ReturnsFalse()
    {
        var value = SessionId.New().Value;

        Assert.False(SessionId.TryParse(" " + value, out _));
        Assert.False(SessionId.TryParse(value + " ", out _));
        Assert.False(SessionId.TryParse(value + "\r\n", out _));
        Assert.False(SessionId.TryParse(" " + value[1..], out _));
    }

    [Fact]
    public void TryParse_StandardBase64SpellingOfSameBytes_ReturnsFalse()
    {
        string value;
        do
        {
            value = SessionId.New().Value;
        }
        while (!value.Contains('-') && !value.Contains('_'));

        var standard = value.Replace('-', '+').Replace('_', '/');

        Assert.False(SessionId.TryParse(standard, out _));
        Assert.False(SessionId.TryParse(standard + "=", out _));
    }

    [Fact]
    public void TryParse_NonCanonicalLastCharacter_ReturnsFalse()
    {
        // 32 bytes fill 42 characters and 4 bits of the 43rd; its 2 low bits are unused and must be zero.
        var value = SessionId.New().Value;
        var last = Base64UrlAlphabet.IndexOf(value[^1]);
        Assert.Equal(0, last & 3);

        for (var unused = 1; unused <= 3; unused++)
        {
            // Same 256 bits, another spelling: only the unused bits differ.
            var other = value[..^1] + Base64UrlAlphabet[last | unused];

            Assert.False(SessionId.TryParse(other, out _));
        }
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD")]
    public void TryParse_NonCanonicalGarbage_ReturnsFalse(string text)
    {
        Assert.False(SessionId.TryParse(text, out _));
    }
}
