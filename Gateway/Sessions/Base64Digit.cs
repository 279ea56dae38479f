namespace Gateway.Sessions;

/// <summary>
/// The 6-bit value of one base64 character, standard (<c>+/</c>) or URL-safe (<c>-_</c>) alike. Strict parsers use
/// it to check that the unused low bits of a final character are zero: one value, one spelling.
/// </summary>
internal static class Base64Digit
{
    public static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' or '-' => 62,
        _ => 63,
    };
}
