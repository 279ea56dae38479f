using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Authentication;

/// <summary>
/// Computes the link of a Basic credential: base64url of HMAC-SHA256, under the secret shared through the store, of
/// the UTF-8 of <c>user \0 stamp \0 password</c>. Each thread keeps one keyed HMAC and resets it after use, because a
/// one-shot HMAC has OpenSSL set a MAC context up on every request; the material is encoded into a scratch buffer that
/// is wiped afterwards, with no intermediate string or array.
/// </summary>
internal sealed class CredentialLink(byte[] secret)
{
    /// <summary>Material up to this many bytes is encoded on the stack (a user and password of ordinary length).</summary>
    private const int StackLimit = 512;

    private readonly ThreadLocal<IncrementalHash> _hmac = new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret));

    public string Compute(string user, string stamp, string password)
    {
        var max = Encoding.UTF8.GetMaxByteCount(user.Length + stamp.Length + password.Length + 2);
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var length = 0;
        try
        {
            // Encoded part by part: the separators are ASCII, so no character pairs across them and the bytes are
            // the same as those of the concatenated string (links stored by earlier builds stay valid).
            length += Encoding.UTF8.GetBytes(user, buffer);
            buffer[length++] = 0;
            length += Encoding.UTF8.GetBytes(stamp, buffer[length..]);
            buffer[length++] = 0;
            length += Encoding.UTF8.GetBytes(password, buffer[length..]);

            var hmac = _hmac.Value!;
            hmac.AppendData(buffer[..length]);
            Span<byte> mac = stackalloc byte[SHA256.HashSizeInBytes];
            hmac.GetHashAndReset(mac);
            return Base64Url.EncodeToString(mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer[..length]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
