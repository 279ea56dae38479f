namespace Gateway.Sessions;

/// <summary>
/// A session's name in the store: base64url SHA-256 of the id. Knowing it does not let anyone present the
/// session. <see cref="Handle"/> is the short form shown to backends, users and logs.
/// </summary>
internal readonly record struct SessionKey(string Value)
{
    public const int HandleLength = 16;

    /// <summary>Non-secret short handle (96 bits of the key).</summary>
    public string Handle => Value[..HandleLength];

    public override string ToString() => Handle;
}
