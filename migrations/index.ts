// Every migration, in order. Listed explicitly (not globbed) so the app, the CLI and jest load the same set.
import { CreateSystemPing1795434090007 } from './1795434090007-CreateSystemPing.js';
import { CreateOrganization1795434331005 } from './1795434331005-CreateOrganization.js';
import { CreateIdempotencyAndAudit1795434561891 } from './1795434561891-CreateIdempotencyAndAudit.js';
import { CreateOutbox1795434674656 } from './1795434674656-CreateOutbox.js';
import { CreateAuth1795434759952 } from './1795434759952-CreateAuth.js';
import { CreateWebhooks1795434818906 } from './1795434818906-CreateWebhooks.js';
import { CreateStaffAuthorisation1795435208076 } from './1795435208076-CreateStaffAuthorisation.js';
import { CreateInstrumentTypes1795435237504 } from './1795435237504-CreateInstrumentTypes.js';
import { CreateInstruments1795435237505 } from './1795435237505-CreateInstruments.js';
import { CreateMeasurementStandards1795435237506 } from './1795435237506-CreateMeasurementStandards.js';
import { AddDueListTypeDistrictIndex1795436410995 } from './1795436410995-AddDueListTypeDistrictIndex.js';
import { AuthorisationInstrumentTypeForeignKey1795436711913 } from './1795436711913-AuthorisationInstrumentTypeForeignKey.js';
import { CreateCalibrationResults1795436733046 } from './1795436733046-CreateCalibrationResults.js';
import { CreateCertificates1795437023599 } from './1795437023599-CreateCertificates.js';
import { CreateServiceRequests1795437533016 } from './1795437533016-CreateServiceRequests.js';
import { ResultRequestItemForeignKey1795437838703 } from './1795437838703-ResultRequestItemForeignKey.js';
import { MpeRulesAndUnits1795440000000 } from './1795440000000-MpeRulesAndUnits.js';
import { ResultMpeBasis1795440100000 } from './1795440100000-ResultMpeBasis.js';
import { CertificateFailureNotice1795444090000 } from './1795444090000-CertificateFailureNotice.js';
import { WebhookSealedSecretsAndErrorCategories1795450000000 } from './1795450000000-WebhookSealedSecretsAndErrorCategories.js';
import { DropAccountLockout1795453000000 } from './1795453000000-DropAccountLockout.js';
import { VerificationRevocation1795443617000 } from './1795443617000-VerificationRevocation.js';
import { OutboxReconciliation1795451000000 } from './1795451000000-OutboxReconciliation.js';
import { ApplicationRoleGrants1795452000000 } from './1795452000000-ApplicationRoleGrants.js';
import { AuditHashChain1795452000001 } from './1795452000001-AuditHashChain.js';
import { RequestNumbers1795461000000 } from './1795461000000-RequestNumbers.js';
import { SearchFolding1795461000001 } from './1795461000001-SearchFolding.js';
import { StandardCertificateFiles1795461000002 } from './1795461000002-StandardCertificateFiles.js';
import { InstrumentTransfers1795461000003 } from './1795461000003-InstrumentTransfers.js';
import { TestingCatalogue1795465000000 } from './1795465000000-TestingCatalogue.js';
import { PublishedReadViews1795471000000 } from './1795471000000-PublishedReadViews.js';
import { AuditActorIndex1795472000000 } from './1795472000000-AuditActorIndex.js';
import { TestSamples1795474000000 } from './1795474000000-TestSamples.js';
import { TestAnalyses1795475000000 } from './1795475000000-TestAnalyses.js';
import { AdminUnits1795476000000 } from './1795476000000-AdminUnits.js';
import { Notices1795476100000 } from './1795476100000-Notices.js';
import { NationalExportOrder1795477000000 } from './1795477000000-NationalExportOrder.js';
import { ReportingViews1795477100000 } from './1795477100000-ReportingViews.js';
import { CertificateOwnerWithholding1795483000000 } from './1795483000000-CertificateOwnerWithholding.js';
import { TestingEnvironmentAndUncertainty1795483100000 } from './1795483100000-TestingEnvironmentAndUncertainty.js';
import { CustomerSector1795484000000 } from './1795484000000-CustomerSector.js';
import { CalibrationDueDates1795484100000 } from './1795484100000-CalibrationDueDates.js';
import { AuditEventRecords1795485000000 } from './1795485000000-AuditEventRecords.js';
import { ReportingRollupGrains1795485100000 } from './1795485100000-ReportingRollupGrains.js';
import { CursorMillisecondPrecision1795487000000 } from './1795487000000-CursorMillisecondPrecision.js';
import { InstrumentViewCalibrationDates1795493000000 } from './1795493000000-InstrumentViewCalibrationDates.js';
import { IdempotencyResponseText1795494000000 } from './1795494000000-IdempotencyResponseText.js';

export const MIGRATIONS = [
  CreateSystemPing1795434090007,
  CreateOrganization1795434331005,
  CreateIdempotencyAndAudit1795434561891,
  CreateOutbox1795434674656,
  CreateAuth1795434759952,
  CreateWebhooks1795434818906,
  CreateStaffAuthorisation1795435208076,
  CreateInstrumentTypes1795435237504,
  CreateInstruments1795435237505,
  CreateMeasurementStandards1795435237506,
  AddDueListTypeDistrictIndex1795436410995,
  AuthorisationInstrumentTypeForeignKey1795436711913,
  CreateCalibrationResults1795436733046,
  CreateCertificates1795437023599,
  CreateServiceRequests1795437533016,
  ResultRequestItemForeignKey1795437838703,
  MpeRulesAndUnits1795440000000,
  ResultMpeBasis1795440100000,
  VerificationRevocation1795443617000,
  CertificateFailureNotice1795444090000,
  WebhookSealedSecretsAndErrorCategories1795450000000,
  OutboxReconciliation1795451000000,
  ApplicationRoleGrants1795452000000,
  AuditHashChain1795452000001,
  DropAccountLockout1795453000000,
  RequestNumbers1795461000000,
  SearchFolding1795461000001,
  StandardCertificateFiles1795461000002,
  InstrumentTransfers1795461000003,
  TestingCatalogue1795465000000,
  PublishedReadViews1795471000000,
  AuditActorIndex1795472000000,
  TestSamples1795474000000,
  TestAnalyses1795475000000,
  AdminUnits1795476000000,
  Notices1795476100000,
  NationalExportOrder1795477000000,
  ReportingViews1795477100000,
  CertificateOwnerWithholding1795483000000,
  TestingEnvironmentAndUncertainty1795483100000,
  CustomerSector1795484000000,
  CalibrationDueDates1795484100000,
  AuditEventRecords1795485000000,
  ReportingRollupGrains1795485100000,
  CursorMillisecondPrecision1795487000000,
  InstrumentViewCalibrationDates1795493000000,
  IdempotencyResponseText1795494000000,
];
