namespace Realtime.Gateway.Authentication;

/// <summary>
/// Outcome of checking a signed string. Kept apart from a plain bool so the session decoder can tell a
/// string that was never a signed value (<see cref="Malformed"/>) from a forged or foreign one
/// (<see cref="Mismatch"/>).
/// </summary>
internal enum DjangoSignatureCheck
{
    Valid,
    Malformed,
    Mismatch,
}
