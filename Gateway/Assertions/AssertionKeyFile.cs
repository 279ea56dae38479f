using System.Security.Cryptography;

namespace Gateway.Assertions;

/// <summary>
/// Reads <c>Gateway:Assertion:KeyFile</c>: PEM, one or more unencrypted EC P-256 private keys (SEC 1 <c>EC PRIVATE
/// KEY</c> or PKCS#8 <c>PRIVATE KEY</c>), in the order given; <c>EC PARAMETERS</c> blocks, as <c>openssl ecparam
/// -genkey</c> writes them, are skipped. Used by the validator at start and by <see cref="FileAssertionKeys"/>.
/// </summary>
internal static class AssertionKeyFile
{
    /// <summary>The keys of the file at <paramref name="path"/>; every problem is added to <paramref name="errors"/>, none thrown.</summary>
    public static List<ECDsa> Read(string path, string shown, List<string> errors)
    {
        var keys = new List<ECDsa>();
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"Gateway:Assertion:KeyFile '{shown}' cannot be read: {e.Message}");
            return keys;
        }

        var rest = text.AsSpan();
        var index = 0;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            var block = rest[fields.Location];
            index++;
            if (label is "EC PRIVATE KEY" or "PRIVATE KEY")
            {
                Import(block, shown, index, keys, errors);
            }
            else if (label != "EC PARAMETERS")
            {
                errors.Add($"Gateway:Assertion:KeyFile '{shown}' block {index} is '{label}'; only unencrypted EC P-256 private keys are accepted (EC PRIVATE KEY or PRIVATE KEY).");
            }
            rest = rest[fields.Location.End.Value..];
        }
        if (keys.Count == 0 && errors.Count == 0)
        {
            errors.Add($"Gateway:Assertion:KeyFile '{shown}' holds no PEM private key.");
        }
        return keys;
    }

    private static void Import(ReadOnlySpan<char> block, string shown, int index, List<ECDsa> keys, List<string> errors)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(block);
            if (AssertionKey.IsP256(ecdsa))
            {
                keys.Add(ecdsa);
                return;
            }
            errors.Add($"Gateway:Assertion:KeyFile '{shown}' block {index} is an EC key on another curve ({ecdsa.KeySize} bits); ES256 needs P-256.");
        }
        catch (CryptographicException)
        {
            // The message would say nothing more useful, and must not echo key material.
            errors.Add($"Gateway:Assertion:KeyFile '{shown}' block {index} is not an EC private key (an RSA or malformed key?); ES256 needs P-256.");
        }
        catch (ArgumentException)
        {
            errors.Add($"Gateway:Assertion:KeyFile '{shown}' block {index} cannot be read as a PEM private key.");
        }
        ecdsa.Dispose();
    }
}
