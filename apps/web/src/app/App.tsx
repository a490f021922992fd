import { AppShell, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { signOut } from '../api/client';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { QueryState } from '../ui/states';
import { ROUTES } from './routes';
import {
  Certificates,
  Customer,
  Customers,
  DueList,
  Inbox,
  Instrument,
  Instruments,
  NewRequest,
  RequestPage,
  ReviewQueue,
  ReviewResult,
  SignIn,
  Staff,
  StaffMember,
  Standard,
  Standards,
  Template,
  Trail,
  Type,
  Types,
  WorkList,
  Worksheet,
} from './screens';
import { can, useMe, useSignedIn, type StaffRole } from './session';

interface NavEntry {
  to: string;
  label: string;
  roles: StaffRole[];
}
const STAFF: StaffRole[] = ['admin', 'reception', 'technician', 'reviewer', 'inspector'];
const NAV: NavEntry[] = [
  { to: ROUTES.desk, label: 'nav.reception', roles: ['admin', 'reception', 'inspector'] },
  { to: ROUTES.work, label: 'nav.worklist', roles: ['technician'] },
  { to: ROUTES.review, label: 'nav.review', roles: ['reviewer', 'admin'] },
  { to: ROUTES.certs, label: 'nav.certificates', roles: STAFF },
  // The registry's reads are open to all staff (the API's guards); its edits are checked per screen.
  { to: ROUTES.customers, label: 'nav.customers', roles: STAFF },
  { to: ROUTES.instruments, label: 'nav.instruments', roles: STAFF },
  { to: ROUTES.types, label: 'nav.catalogue', roles: STAFF },
  { to: ROUTES.standards, label: 'nav.standards', roles: STAFF },
  { to: ROUTES.due, label: 'nav.due', roles: STAFF },
  { to: ROUTES.trail, label: 'nav.audit', roles: ['admin', 'reviewer', 'technician'] },
  { to: ROUTES.staff, label: 'nav.staff', roles: ['admin'] },
];

function Home({ roles }: { roles: StaffRole[] }) {
  const first = NAV.find((n) => can(roles, ...n.roles));
  return <Navigate to={first?.to ?? ROUTES.certs} replace />;
}

function Header({ name, roles }: { name: string; roles: StaffRole[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Group h="100%" px="md" justify="space-between">
      <Title order={3}>{t('appName')}</Title>
      <Group>
        <LanguageSwitch />
        <Text size="sm">
          {name} · {roles.map((r) => t(`roles.${r}`)).join(', ')}
        </Text>
        <Button variant="subtle" onClick={() => void signOut().then(() => navigate(ROUTES.signIn))}>
          {t('nav.signOut')}
        </Button>
      </Group>
    </Group>
  );
}

function Navigation({ roles }: { roles: StaffRole[] }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <Stack gap={2} p="xs" component="nav" aria-label={t('nav.main')}>
      {NAV.filter((n) => can(roles, ...n.roles)).map((n) => (
        <NavLink key={n.to} component={Link} to={n.to} label={t(n.label)} active={pathname.startsWith(n.to)} />
      ))}
    </Stack>
  );
}

/** The shell and the screen render at once; the screen's data loads beside GET /auth/me. */
function SignedIn() {
  const me = useMe();
  const user = me.data?.user;
  const roles = user?.roles ?? [];
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Header name={user?.fullName ?? ''} roles={roles} />
      </AppShell.Header>
      <AppShell.Navbar>
        <Navigation roles={roles} />
      </AppShell.Navbar>
      <AppShell.Main>
        <QueryState loading={false} error={me.error}>
          <Suspense fallback={<QueryState loading error={null} children={null} />}>
            <Screens roles={roles} userId={user?.id} loading={me.isLoading} />
          </Suspense>
        </QueryState>
      </AppShell.Main>
    </AppShell>
  );
}

function Screens({ roles, userId, loading }: { roles: StaffRole[]; userId?: string; loading: boolean }) {
  return (
    <Routes>
      <Route path="/" element={loading ? null : <Home roles={roles} />} />
      <Route path={ROUTES.desk} element={<Inbox roles={roles} />} />
      <Route path={ROUTES.deskNew} element={<NewRequest />} />
      <Route path={`${ROUTES.desk}/:requestId`} element={<RequestPage roles={roles} />} />
      <Route path={ROUTES.work} element={<WorkList />} />
      <Route path={`${ROUTES.work}/:requestId/:itemId`} element={<Worksheet roles={roles} />} />
      <Route path={ROUTES.review} element={<ReviewQueue />} />
      <Route path={`${ROUTES.review}/:resultId`} element={<ReviewResult roles={roles} userId={userId ?? ''} />} />
      <Route path={ROUTES.certs} element={<Certificates roles={roles} />} />
      <Route path="/registry" element={<Navigate to={ROUTES.customers} replace />} />
      <Route path={ROUTES.customers} element={<Customers />} />
      <Route path={`${ROUTES.customers}/:customerId`} element={<Customer roles={roles} />} />
      <Route path={ROUTES.instruments} element={<Instruments />} />
      <Route path={`${ROUTES.instruments}/:instrumentId`} element={<Instrument />} />
      <Route path={ROUTES.types} element={<Types />} />
      <Route path={`${ROUTES.types}/:typeId`} element={<Type roles={roles} />} />
      <Route path={`${ROUTES.types}/:typeId/templates/:templateId`} element={<Template roles={roles} />} />
      <Route path={ROUTES.standards} element={<Standards roles={roles} />} />
      <Route path={`${ROUTES.standards}/:standardId`} element={<Standard roles={roles} />} />
      <Route path={ROUTES.due} element={<DueList />} />
      <Route path={ROUTES.trail} element={<Trail />} />
      <Route path={ROUTES.staff} element={<Staff />} />
      <Route path={`${ROUTES.staff}/:userId`} element={<StaffMember />} />
      <Route path={ROUTES.signIn} element={<Navigate to="/" replace />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return <Text>{t('notFound')}</Text>;
}

export function App() {
  const signedIn = useSignedIn();
  const { pathname } = useLocation();
  if (!signedIn) {
    return (
      <Suspense fallback={null}>
        <SignIn next={pathname === ROUTES.signIn ? '/' : pathname} />
      </Suspense>
    );
  }
  return <SignedIn />;
}
