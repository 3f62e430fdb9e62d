namespace Platform.Events.Domain;

/// <summary>What an unveiled plaque establishes (the talent-pipeline program kinds of a base, or other).</summary>
public enum UnveilingKind
{
    TrainingBase,
    InternshipBase,
    EmploymentBase,
    TeacherPracticeCenter,
    Other,
}
