import factory

from tests.org.factories import PositionFactory, UnitFactory, bengkulu
from workforce.models import FormationProposal, FormationProposalRow, WorkloadAnalysis, WorkloadTask


class WorkloadAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkloadAnalysis

    region = factory.LazyFunction(bengkulu)
    unit = factory.SubFactory(UnitFactory, region=factory.SelfAttribute("..region"))
    position = factory.SubFactory(PositionFactory, region=factory.SelfAttribute("..region"))
    year = 2027


class WorkloadTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkloadTask

    analysis = factory.SubFactory(WorkloadAnalysisFactory)
    name = factory.Sequence(lambda n: f"Tugas {n}")
    volume = 100
    standard_time = 60
    time_unit = WorkloadTask.TimeUnit.MINUTES


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormationProposal

    region = factory.LazyFunction(bengkulu)
    year = 2027


class ProposalRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormationProposalRow

    proposal = factory.SubFactory(ProposalFactory)
    unit = factory.SubFactory(UnitFactory, region=factory.SelfAttribute("..proposal.region"))
    position = factory.SubFactory(PositionFactory, region=factory.SelfAttribute("..proposal.region"))
    education = "S-1"
    quota = 2
