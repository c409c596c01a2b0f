namespace Realtime.Services;

/// <summary>What became of one service message: delivered, or rejected with a reason for the dead-letter list.</summary>
public readonly record struct ServiceOutcome(string? RejectReason)
{
    public static ServiceOutcome Delivered => default;

    public bool IsDelivered => RejectReason is null;

    public static ServiceOutcome Rejected(string reason) => new(reason);
}
