import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { ROLE_LABELS } from '../lib/format.ts';
import { canManage, useSession, useSignOut } from '../lib/session.tsx';
import { Icon, type IconName } from './Icon.tsx';
import { TimerWidget } from './TimerWidget.tsx';

// `manage`: shown to owners and admins only.
const NAV: Array<{ to: string; label: string; icon: IconName; end?: boolean; manage?: boolean }> = [
  { to: '/', label: 'Dashboard', icon: 'home', end: true },
  { to: '/customers', label: 'Customers', icon: 'people' },
  { to: '/invoices', label: 'Invoices', icon: 'invoice' },
  { to: '/payments', label: 'Payments', icon: 'coins' },
  { to: '/quotes', label: 'Quotes', icon: 'copy' },
  { to: '/subscriptions', label: 'Subscriptions', icon: 'repeat' },
  { to: '/billing-runs', label: 'Billing run', icon: 'send' },
  { to: '/time', label: 'Time', icon: 'clock' },
  { to: '/projects', label: 'Projects', icon: 'folder' },
  { to: '/unbilled', label: 'Unbilled work', icon: 'inbox' },
  { to: '/expenses', label: 'Expenses', icon: 'receipt' },
  { to: '/stock', label: 'Stock', icon: 'archive' },
  { to: '/approvals', label: 'Approvals', icon: 'check', manage: true },
  { to: '/settings', label: 'Settings', icon: 'settings' },
];

/** The signed-in frame: a sidebar on laptops, a top bar with a menu on phones. */
export function Layout() {
  const session = useSession();
  const { signOut, signingOut } = useSignOut();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // A new page: close the phone menu and move focus to the page, as a full navigation would.
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    // Unless the new page already put focus somewhere in it (an autofocused field).
    if (!mainRef.current?.contains(document.activeElement)) mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const initials = (session.user.name || session.user.email)
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');

  return (
    <div className={`app-shell${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="icon-button menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          aria-label={menuOpen ? 'Close menu' : 'Open menu'}
          onClick={() => setMenuOpen((open) => !open)}
        >
          <Icon name={menuOpen ? 'close' : 'menu'} />
        </button>
        <Link to="/" className="brand brand-small">
          <Logo /> <span>{session.organization.legalName}</span>
        </Link>
        <TimerWidget variant="topbar" />
        <Link to="/invoices/new" className="button button-primary button-small">
          <Icon name="plus" /> Invoice
        </Link>
      </header>
      <aside id="sidebar" className="sidebar" aria-label="Main">
        <Link to="/" className="brand">
          <Logo />
          <span className="brand-text">
            <span className="brand-name">Accrue</span>
            <span className="brand-org">{session.organization.legalName}</span>
          </span>
        </Link>
        <Link to="/invoices/new" className="button button-primary sidebar-cta">
          <Icon name="plus" /> New invoice
        </Link>
        <TimerWidget variant="sidebar" />
        <nav>
          <ul className="nav-list">
            {NAV.filter((item) => !item.manage || canManage(session)).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end} className={({ isActive }) => `nav-link${isActive ? ' active' : ''}`}>
                  <Icon name={item.icon} />
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <div className="user-chip">
            <span className="avatar" aria-hidden="true">
              {initials}
            </span>
            <span className="user-text">
              <span className="user-name">{session.user.name || session.user.email}</span>
              <span className="user-role">{ROLE_LABELS[session.user.role] ?? session.user.role}</span>
            </span>
          </div>
          <button type="button" className="button button-ghost button-block" onClick={() => void signOut()} disabled={signingOut}>
            <Icon name="logout" /> {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </aside>
      <div className="scrim" aria-hidden="true" onClick={() => setMenuOpen(false)} />
      <main id="main" className="main" ref={mainRef} tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path d="M9 22 15 9h2l6 13h-3l-1.4-3.2h-5.3L12 22H9Zm5.4-5.7h3.3L16 12.4l-1.6 3.9Z" fill="#fff" />
    </svg>
  );
}

/** The frame of pages shown before signing in (setup, sign-in, invitations). */
export function AuthFrame({ title, subtitle, children, wide }: { title: string; subtitle?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <div className="auth-page">
      <main className={`auth-card${wide ? ' auth-card-wide' : ''}`}>
        <div className="auth-brand">
          <Logo />
          <span>Accrue</span>
        </div>
        <h1>{title}</h1>
        {subtitle && <p className="auth-subtitle">{subtitle}</p>}
        {children}
      </main>
      <p className="auth-footer">Open-source billing for service businesses</p>
    </div>
  );
}
