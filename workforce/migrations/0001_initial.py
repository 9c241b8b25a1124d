"""The planning models, moved from the org app onto their existing org_* tables (state only)."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ['RegionPlanningSetting', 'RetirementAge', 'WorkloadAnalysis', 'WorkloadTask', 'ServiceRatio', 'RegionFigure', 'FormationProposal', 'FormationProposalRow', 'StructureChange', 'EmployeePlacement', 'UnitVersion']

def content_types_move(apps, schema_editor):
    """Permissions and admin history follow the models (a fresh database has no rows yet)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    models_ = [m.lower() for m in MOVED]
    ContentType.objects.filter(app_label="org", model__in=models_).update(app_label="workforce")

def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    models_ = [m.lower() for m in MOVED]
    ContentType.objects.filter(app_label="workforce", model__in=models_).update(app_label="org")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0004_planning_moved_to_workforce'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FormationProposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved')], default='draft', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True)),
                        ('approved_at', models.DateTimeField(blank=True, null=True)),
                        ('selection_ref', models.CharField(blank=True, max_length=100, verbose_name='selection')),
                        ('opened_at', models.DateTimeField(blank=True, null=True)),
                        ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'formation proposal',
                        'verbose_name_plural': 'formation proposals',
                        'db_table': 'org_formationproposal',
                        'ordering': ['region', '-year'],
                    },
                ),
                migrations.CreateModel(
                    name='FormationProposalRow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('education', models.CharField(blank=True, max_length=200, verbose_name='education required')),
                        ('quota', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='quota')),
                        ('justification', models.TextField(blank=True, verbose_name='justification')),
                        ('position', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.position', verbose_name='position')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='workforce.formationproposal', verbose_name='proposal')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'proposal row',
                        'verbose_name_plural': 'proposal rows',
                        'db_table': 'org_formationproposalrow',
                        'ordering': ['unit__name', 'position__name'],
                    },
                ),
                migrations.CreateModel(
                    name='RegionFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                        ('measure', models.CharField(choices=[('population', 'Population (inhabitants)'), ('pupils_primary', 'Pupils, primary school (SD)'), ('pupils_junior', 'Pupils, junior secondary (SMP)'), ('pupils_senior', 'Pupils, senior secondary (SMA/SMK)'), ('births', 'Births per year')], max_length=20, verbose_name='figure')),
                        ('value', models.PositiveIntegerField(verbose_name='value')),
                        ('source', models.CharField(blank=True, max_length=200, verbose_name='source')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'regional figure',
                        'verbose_name_plural': 'regional figures',
                        'db_table': 'org_regionfigure',
                        'ordering': ['region', '-year', 'measure'],
                    },
                ),
                migrations.CreateModel(
                    name='RegionPlanningSetting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('effective_hours', models.PositiveIntegerField(default=1250, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(8760)], verbose_name='effective working hours per year')),
                        ('region', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='planning_setting', to='org.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'planning setting',
                        'verbose_name_plural': 'planning settings',
                        'db_table': 'org_regionplanningsetting',
                    },
                ),
                migrations.CreateModel(
                    name='RetirementAge',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('jpt_utama', 'JPT utama'), ('jpt_madya', 'JPT madya'), ('jpt_pratama', 'JPT pratama'), ('administrator', 'Administrator'), ('pengawas', 'Pengawas'), ('fungsional_keahlian', 'Functional (expertise)'), ('fungsional_keterampilan', 'Functional (skill)'), ('pelaksana', 'Pelaksana')], max_length=32, verbose_name='position type')),
                        ('level', models.CharField(blank=True, choices=[('ahli_pertama', 'Ahli pertama'), ('ahli_muda', 'Ahli muda'), ('ahli_madya', 'Ahli madya'), ('ahli_utama', 'Ahli utama'), ('pemula', 'Pemula'), ('terampil', 'Terampil'), ('mahir', 'Mahir'), ('penyelia', 'Penyelia')], max_length=20, verbose_name='level')),
                        ('age', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(50), django.core.validators.MaxValueValidator(70)], verbose_name='retirement age')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='retirement_ages', to='org.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'retirement age',
                        'verbose_name_plural': 'retirement ages',
                        'db_table': 'org_retirementage',
                        'ordering': ['region', 'kind', 'level'],
                    },
                ),
                migrations.CreateModel(
                    name='ServiceRatio',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('measure', models.CharField(choices=[('population', 'Population (inhabitants)'), ('pupils_primary', 'Pupils, primary school (SD)'), ('pupils_junior', 'Pupils, junior secondary (SMP)'), ('pupils_senior', 'Pupils, senior secondary (SMA/SMK)'), ('births', 'Births per year')], max_length=20, verbose_name='based on')),
                        ('staff', models.DecimalField(decimal_places=2, max_digits=8, validators=[django.core.validators.MinValueValidator(0.01)], verbose_name='staff')),
                        ('per', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='per')),
                        ('position', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.position', verbose_name='position')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.region', verbose_name='region')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'service ratio',
                        'verbose_name_plural': 'service ratios',
                        'db_table': 'org_serviceratio',
                        'ordering': ['region', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='StructureChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('reassign', 'Reassignment'), ('position_move', 'Position moved to another unit'), ('position_convert', 'Position converted'), ('equalisation', 'Equalisation (penyetaraan) to a functional position'), ('unit_merge', 'Units merged'), ('unit_split', 'Unit split')], max_length=20, verbose_name='change')),
                        ('effective_date', models.DateField(verbose_name='effective date')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='legal basis / note')),
                        ('detail', models.JSONField(blank=True, default=dict)),
                        ('employee_count', models.PositiveIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'structure change',
                        'verbose_name_plural': 'structure changes',
                        'db_table': 'org_structurechange',
                        'ordering': ['-effective_date', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='EmployeePlacement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('valid_from', models.DateField(verbose_name='from')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='until')),
                        ('employee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='placements', to='org.employee', verbose_name='employee')),
                        ('position', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.position', verbose_name='position')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='unit')),
                        ('change', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='placements', to='workforce.structurechange')),
                    ],
                    options={
                        'verbose_name': 'placement',
                        'verbose_name_plural': 'placements',
                        'db_table': 'org_employeeplacement',
                        'ordering': ['employee', 'valid_from'],
                    },
                ),
                migrations.CreateModel(
                    name='UnitVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('valid_from', models.DateField(blank=True, null=True, verbose_name='from')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='until')),
                        ('change', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='unit_versions', to='workforce.structurechange')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='parent unit')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='org.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'unit version',
                        'verbose_name_plural': 'unit versions',
                        'db_table': 'org_unitversion',
                        'ordering': ['unit', 'valid_from'],
                    },
                ),
                migrations.CreateModel(
                    name='WorkloadAnalysis',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('position', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.position', verbose_name='position')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.region', verbose_name='region')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'workload analysis',
                        'verbose_name_plural': 'workload analyses',
                        'db_table': 'org_workloadanalysis',
                        'ordering': ['-year', 'unit__name', 'position__name'],
                    },
                ),
                migrations.CreateModel(
                    name='WorkloadTask',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=300, verbose_name='task')),
                        ('output', models.CharField(blank=True, max_length=120, verbose_name='output')),
                        ('volume', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0.01)], verbose_name='yearly volume')),
                        ('standard_time', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(0.01)], verbose_name='standard time')),
                        ('time_unit', models.CharField(choices=[('min', 'minutes'), ('hour', 'hours')], default='min', max_length=4, verbose_name='time unit')),
                        ('analysis', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='workforce.workloadanalysis', verbose_name='analysis')),
                    ],
                    options={
                        'verbose_name': 'workload task',
                        'verbose_name_plural': 'workload tasks',
                        'db_table': 'org_workloadtask',
                        'ordering': ['pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='formationproposal',
                    constraint=models.UniqueConstraint(fields=('region', 'year'), name='formation_proposal_one_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='formationproposal',
                    constraint=models.CheckConstraint(condition=models.Q(('selection_ref', ''), ('status', 'approved'), _connector='OR'), name='formation_proposal_opened_approved'),
                ),
                migrations.AddConstraint(
                    model_name='formationproposalrow',
                    constraint=models.UniqueConstraint(fields=('proposal', 'unit', 'position'), name='proposal_row_unique'),
                ),
                migrations.AddConstraint(
                    model_name='formationproposalrow',
                    constraint=models.CheckConstraint(condition=models.Q(('quota__gte', 1)), name='proposal_row_quota_positive'),
                ),
                migrations.AddConstraint(
                    model_name='regionfigure',
                    constraint=models.UniqueConstraint(fields=('region', 'year', 'measure'), name='region_figure_unique'),
                ),
                migrations.AddConstraint(
                    model_name='regionplanningsetting',
                    constraint=models.CheckConstraint(condition=models.Q(('effective_hours__gte', 1), ('effective_hours__lte', 8760)), name='planning_effective_hours_range'),
                ),
                migrations.AddConstraint(
                    model_name='retirementage',
                    constraint=models.UniqueConstraint(fields=('region', 'kind', 'level'), name='retirement_age_unique'),
                ),
                migrations.AddConstraint(
                    model_name='retirementage',
                    constraint=models.CheckConstraint(condition=models.Q(('age__gte', 50), ('age__lte', 70)), name='retirement_age_range'),
                ),
                migrations.AddConstraint(
                    model_name='serviceratio',
                    constraint=models.UniqueConstraint(fields=('unit', 'position', 'measure'), name='service_ratio_unique'),
                ),
                migrations.AddConstraint(
                    model_name='serviceratio',
                    constraint=models.CheckConstraint(condition=models.Q(('staff__gt', 0), ('per__gte', 1)), name='service_ratio_positive'),
                ),
                migrations.AddIndex(
                    model_name='structurechange',
                    index=models.Index(fields=['region', 'effective_date'], name='structure_change_region_date'),
                ),
                migrations.AddIndex(
                    model_name='employeeplacement',
                    index=models.Index(fields=['unit', 'valid_from'], name='placement_unit_from'),
                ),
                migrations.AddIndex(
                    model_name='employeeplacement',
                    index=models.Index(fields=['employee', 'valid_from'], name='placement_employee_from'),
                ),
                migrations.AddConstraint(
                    model_name='employeeplacement',
                    constraint=models.UniqueConstraint(condition=models.Q(('valid_to__isnull', True)), fields=('employee',), name='placement_one_open_per_employee'),
                ),
                migrations.AddConstraint(
                    model_name='employeeplacement',
                    constraint=models.UniqueConstraint(fields=('employee', 'valid_from'), name='placement_unique_start'),
                ),
                migrations.AddConstraint(
                    model_name='employeeplacement',
                    constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gt', models.F('valid_from')), _connector='OR'), name='placement_period_positive'),
                ),
                migrations.AddConstraint(
                    model_name='unitversion',
                    constraint=models.UniqueConstraint(condition=models.Q(('valid_to__isnull', True)), fields=('unit',), name='unit_version_one_open'),
                ),
                migrations.AddConstraint(
                    model_name='unitversion',
                    constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_from__isnull', True), ('valid_to__gt', models.F('valid_from')), _connector='OR'), name='unit_version_period_positive'),
                ),
                migrations.AddConstraint(
                    model_name='workloadanalysis',
                    constraint=models.UniqueConstraint(fields=('unit', 'position', 'year'), name='workload_unique_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='workloadtask',
                    constraint=models.CheckConstraint(condition=models.Q(('volume__gt', 0)), name='workload_volume_positive'),
                ),
                migrations.AddConstraint(
                    model_name='workloadtask',
                    constraint=models.CheckConstraint(condition=models.Q(('standard_time__gt', 0)), name='workload_time_positive'),
                ),
            ],
        ),
        migrations.RunPython(content_types_move, content_types_back),
    ]
