namespace Platform.Events.Domain;

/// <summary>The kind of an agreement signed at an event.</summary>
public enum AgreementKind
{
    StrategicCooperation,
    FrameworkAgreement,
    OrderClass,
    TrainingCooperation,
    ProductionPractice,
    Other,
}
