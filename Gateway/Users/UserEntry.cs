using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Users;

/// <summary>One htpasswd line that passed the checks.</summary>
internal sealed record UserEntry(string Name, string Hash)
{
    /// <summary>Short stamp of the password hash: sessions remember it, and a changed hash ends them.</summary>
    public string Stamp { get; } = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Hash)).AsSpan(0, 9));

    /// <summary>The bcrypt cost of the hash.</summary>
    public int Cost => int.Parse(Hash.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture);
}
