namespace Gateway.Sessions;

/// <summary>
/// A remember-me token as stored: looked up by its selector; only SHA-256 hashes of the validator are kept.
/// The previous validator stays acceptable for a short grace after a rotation (parallel tabs).
/// </summary>
internal sealed record RememberRecord(
    string User,
    byte[] ValidatorHash,
    byte[] PreviousHash,
    DateTimeOffset RotatedAt,
    DateTimeOffset Expires,
    string PasswordStamp);
