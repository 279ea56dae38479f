namespace Gateway.Configuration;

/// <summary>RFC 9110 <c>tchar</c>: the characters allowed in header and cookie names.</summary>
internal static class HttpToken
{
    public static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
          or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
