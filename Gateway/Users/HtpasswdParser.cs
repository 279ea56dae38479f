namespace Gateway.Users;

/// <summary>
/// Parses an htpasswd file, accepting bcrypt only (<c>$2y$</c>, <c>$2b$</c>, <c>$2a$</c>, as <c>htpasswd -B</c>
/// writes). Plain text, <c>{SHA}</c>, DES crypt and <c>$apr1$</c> MD5 are refused line by line with a reason;
/// the other lines still load.
/// </summary>
internal static class HtpasswdParser
{
    private const int BcryptLength = 60;

    public static HtpasswdParseResult Parse(string text)
    {
        var users = new Dictionary<string, UserEntry>(StringComparer.Ordinal);
        var problems = new List<string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                problems.Add($"line {lineNumber}: no ':' between user and hash");
                continue;
            }
            var name = line[..colon];
            var hash = line[(colon + 1)..];
            if (!IsValidUserName(name))
            {
                problems.Add($"line {lineNumber}: user name must be 1-256 printable ASCII characters without ':' or surrounding spaces");
            }
            else if (Refusal(hash) is { } reason)
            {
                problems.Add($"line {lineNumber} (user '{name}'): {reason}");
            }
            else if (!users.TryAdd(name, new UserEntry(name, hash)))
            {
                problems.Add($"line {lineNumber}: user '{name}' is listed twice; the first entry is used");
            }
        }
        return new HtpasswdParseResult(users, problems);
    }

    /// <summary>Printable ASCII (it travels in identity headers), no ':' (Basic splits there), no edge spaces.</summary>
    public static bool IsValidUserName(string name) =>
        name.Length is > 0 and <= 256 && name[0] != ' ' && name[^1] != ' ' && name.All(c => c is >= ' ' and <= '~' and not ':');

    private static string? Refusal(string hash)
    {
        if (hash.StartsWith("{SHA}", StringComparison.Ordinal))
        {
            return "{SHA} hashes are unsalted SHA-1 and refused; re-create the entry with 'htpasswd -B'";
        }
        if (hash.StartsWith("$apr1$", StringComparison.Ordinal) || hash.StartsWith("$1$", StringComparison.Ordinal))
        {
            return "MD5-crypt hashes are refused; re-create the entry with 'htpasswd -B'";
        }
        if (!hash.StartsWith('$'))
        {
            return "plain-text or DES-crypt passwords are refused; re-create the entry with 'htpasswd -B'";
        }
        if (!IsBcrypt(hash))
        {
            return "not a bcrypt hash ($2y$, $2b$ or $2a$, cost 04-31); re-create the entry with 'htpasswd -B'";
        }
        return null;
    }

    private static bool IsBcrypt(string hash)
    {
        if (hash.Length != BcryptLength || hash[0] != '$' || hash[1] != '2' || hash[2] is not ('y' or 'b' or 'a') ||
            hash[3] != '$' || hash[6] != '$' || !char.IsAsciiDigit(hash[4]) || !char.IsAsciiDigit(hash[5]))
        {
            return false;
        }
        var cost = (hash[4] - '0') * 10 + (hash[5] - '0');
        return cost is >= 4 and <= 31 && hash.AsSpan(7).ContainsAnyExcept(BcryptAlphabet) is false;
    }

    private static readonly System.Buffers.SearchValues<char> BcryptAlphabet =
        System.Buffers.SearchValues.Create("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

/// <summary>Users that loaded, and one line per refused entry.</summary>
internal sealed record HtpasswdParseResult(IReadOnlyDictionary<string, UserEntry> Users, IReadOnlyList<string> Problems);
