namespace Gateway.Sessions;

/// <summary>Outcome of a compare-and-set rotation of a remember-me validator.</summary>
internal enum RememberRotation
{
    /// <summary>The stored validator was the expected one and is now the previous one.</summary>
    Rotated,

    /// <summary>Another redemption rotated first: the expected validator is no longer the current one.</summary>
    Lost,

    /// <summary>The token no longer exists (revoked or expired meanwhile).</summary>
    Gone,
}
