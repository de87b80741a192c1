import { useState } from 'react'
import type { Preferences, Theme } from '../../shared/schemas'
import { api } from '../api'
import { FieldError, MessageScope, ScopeMessages, useAttempt, useFail, useFieldInvalid, useNote } from '../components/message-scope'
import { useApp } from '../stores/app-store'

const THEMES: Array<{ id: Theme; label: string }> = [
  { id: 'system', label: 'Follow the system' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' }
]

/** Theme, clipboard and reveal behaviour, the account check, reminders per provider, and where things live. */
export function SettingsPage() {
  return (
    <section className="page" aria-labelledby="settings-title">
      <header className="page-head">
        <h1 id="settings-title">Settings</h1>
      </header>
      <MessageScope>
        <ScopeMessages fields={['clipboardSeconds', 'autoHideSeconds', 'rotationDays', 'requireUnlock']} />
        <SettingsForm />
      </MessageScope>
    </section>
  )
}

function NumberSetting(props: {
  field: keyof Preferences
  label: string
  help: string
  min: number
  max: number
  unit: string
  value: number
  save: (v: number) => void
}) {
  const [text, setText] = useState(String(props.value))
  const invalid = useFieldInvalid(props.field)
  const fail = useFail()
  const commit = () => {
    const n = Number(text)
    if (!/^\d+$/.test(text.trim()) || n < props.min || n > props.max)
      return fail(`${props.label} must be a whole number from ${props.min} to ${props.max}.`, props.field)
    if (n !== props.value) props.save(n)
  }
  return (
    <label className="field">
      {props.label}
      <span className="field-row">
        <input
          type="number"
          min={props.min}
          max={props.max}
          value={text}
          aria-invalid={invalid}
          aria-describedby={`${props.field}-help`}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
          style={{ maxWidth: 110, flex: 'none' }}
        />
        {props.unit}
      </span>
      <span className="field-help" id={`${props.field}-help`}>
        {props.help}
      </span>
      <FieldError field={props.field} />
    </label>
  )
}

function SettingsForm() {
  const { settings, providers } = useApp()
  const attempt = useAttempt()
  const note = useNote()
  if (!settings) return <p aria-busy="true">Loading settings…</p>
  const save = (patch: Partial<Preferences>, said = 'Saved.') =>
    void attempt(async () => {
      const next = await api['settings.update'](patch)
      useApp.setState({ settings: next })
      note(said)
    })
  const saveDays = (providerId: string, days: number | null) =>
    void attempt(async () => {
      await api['providers.setRotationDays']({ providerId, days })
      note('Saved.')
    })
  return (
    <div className="settings form">
      <section aria-labelledby="look">
        <h2 id="look">Appearance</h2>
        <fieldset>
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <label key={t.id} className="radio">
              <input
                type="radio"
                name="theme"
                checked={settings.theme === t.id}
                onChange={() => save({ theme: t.id }, `Theme: ${t.label.toLowerCase()}.`)}
              />{' '}
              {t.label}
            </label>
          ))}
        </fieldset>
      </section>
      <section aria-labelledby="secrets">
        <h2 id="secrets">Copying and revealing</h2>
        <NumberSetting
          key={`c${settings.clipboardSeconds}`}
          field="clipboardSeconds"
          label="Clear the clipboard after"
          help="A copied key is removed from the clipboard after this time, if it is still there."
          min={5}
          max={600}
          unit="seconds"
          value={settings.clipboardSeconds}
          save={(v) => save({ clipboardSeconds: v })}
        />
        <NumberSetting
          key={`h${settings.autoHideSeconds}`}
          field="autoHideSeconds"
          label="Hide a revealed value after"
          help="0 keeps it shown until you choose Hide."
          min={0}
          max={600}
          unit="seconds"
          value={settings.autoHideSeconds}
          save={(v) => save({ autoHideSeconds: v })}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={settings.requireUnlock}
            disabled={!settings.unlock.available && !settings.requireUnlock}
            aria-describedby="unlock-help"
            onChange={(e) => save({ requireUnlock: e.target.checked })}
          />{' '}
          Ask for {settings.unlock.available ? settings.unlock.label : 'your account password or Touch ID'} before revealing or copying a
          key
        </label>
        <span className="field-help" id="unlock-help">
          {settings.unlock.available ? 'Asked each time a value leaves the keychain.' : `${settings.unlock.label}.`}
        </span>
        <FieldError field="requireUnlock" />
      </section>
      <section aria-labelledby="reminders">
        <h2 id="reminders">Rotation reminders</h2>
        <NumberSetting
          key={`r${settings.rotationDays}`}
          field="rotationDays"
          label="Rotate keys every"
          help="Unless a provider below says otherwise."
          min={1}
          max={3650}
          unit="days"
          value={settings.rotationDays}
          save={(v) => save({ rotationDays: v })}
        />
        <table aria-label="Reminders per provider">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Rotate every</th>
              <th scope="col">Desktop reminder</th>
            </tr>
          </thead>
          <tbody>
            {providers.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>
                  <ProviderDays name={p.name} days={p.rotationDays} fallback={settings.rotationDays} save={(d) => saveDays(p.id, d)} />
                </td>
                <td>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={!settings.quietProviders.includes(p.id)}
                      onChange={(e) =>
                        save({
                          quietProviders: e.target.checked
                            ? settings.quietProviders.filter((x) => x !== p.id)
                            : [...settings.quietProviders, p.id]
                        })
                      }
                    />{' '}
                    <span className="sr-only">Remind me about {p.name} keys</span>
                    <span aria-hidden="true">remind me</span>
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="about">
        <h2 id="about">This installation</h2>
        <dl>
          <dt>Data folder</dt>
          <dd className="mono" data-testid="data-dir">
            {settings.dataDir}
          </dd>
          <dt>Keychain</dt>
          <dd>{settings.keychainBackend}</dd>
          <dt>Version</dt>
          <dd>{settings.version}</dd>
        </dl>
      </section>
    </div>
  )
}

function ProviderDays(props: { name: string; days?: number; fallback: number; save: (days: number | null) => void }) {
  const [text, setText] = useState(props.days ? String(props.days) : '')
  const field = `days:${props.name}`
  const fail = useFail()
  const invalid = useFieldInvalid(field)
  const commit = () => {
    const t = text.trim()
    if (!t) return props.days !== undefined && props.save(null)
    const n = Number(t)
    if (!/^\d+$/.test(t) || n < 1 || n > 3650)
      return fail(`Rotation age for ${props.name} must be a whole number of days from 1 to 3650.`, field)
    if (n !== props.days) props.save(n)
  }
  return (
    <span className="field">
      <span className="field-row">
        <input
          type="number"
          min={1}
          max={3650}
          aria-label={`Rotation age in days for ${props.name}`}
          aria-invalid={invalid}
          placeholder={`${props.fallback} (default)`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          style={{ maxWidth: 140, flex: 'none' }}
        />
        days
      </span>
      <FieldError field={field} />
    </span>
  )
}
