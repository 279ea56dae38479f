using System.Buffers.Text;
using System.Security.Cryptography;

namespace Gateway.Sessions;

/// <summary>
/// The secret a client holds: 256 random bits, base64url without padding (43 characters). Only its
/// <see cref="SessionKey"/> (a SHA-256) is ever stored or logged.
/// </summary>
internal readonly struct SessionId
{
    public const int EncodedLength = 43;
    private const int ByteLength = 32;

    private SessionId(string value, SessionKey key)
    {
        Value = value;
        Key = key;
    }

    /// <summary>The cookie / token value. Never log it.</summary>
    public string Value { get; }

    /// <summary>The store key derived from the id.</summary>
    public SessionKey Key { get; }

    public static SessionId New()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        return FromBytes(bytes, Base64Url.EncodeToString(bytes));
    }

    /// <summary>
    /// Strict parse: exactly 43 base64url characters in canonical form (the unused low bits of the last
    /// character are zero), so one id has exactly one spelling and nothing malformed reaches the store.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SessionId id)
    {
        id = default;
        if (text.Length != EncodedLength)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
            {
                return false;
            }
        }
        // 43 characters carry 258 bits for 256: the last one's two low bits must be zero (one spelling per id).
        if ((Base64Digit.Value(text[^1]) & 0b11) != 0)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[ByteLength];
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != ByteLength)
            {
                return false;
            }
        }
        catch (FormatException)
        {
            // Despite its name, TryDecodeFromChars throws on some non-canonical input.
            return false;
        }
        id = FromBytes(bytes, text.ToString());
        return true;
    }


    private static SessionId FromBytes(ReadOnlySpan<byte> bytes, string value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return new SessionId(value, new SessionKey(Base64Url.EncodeToString(hash)));
    }
}
