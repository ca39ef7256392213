import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DebugLogger } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { describe, expect, it } from 'vitest';

// The installer configuration, checked by electron-builder's own loader and schema (no
// packaging runs here: that needs to download Electron), plus what this app requires of it.
const root = resolve('.');

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s schema', async () => {
    const config = await getConfig(root, resolve('electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The schema check is real: a misspelt fuse would be refused, not ignored.
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object.*electronFuses/s);
  });

  it('builds AppImage and deb, NSIS and dmg, with the app id and an icon that exists', async () => {
    const config = await getConfig(root, resolve('electron-builder.yml'), null);
    expect(config.appId).toBe('app.consentdesk.desktop');
    expect(config.productName).toBe('Consent Desk');
    const targets = (t: unknown) => (Array.isArray(t) ? t.map(String) : [String(t)]);
    expect(targets(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(targets(config.win?.target)).toEqual(['nsis']);
    expect(targets(config.mac?.target)).toEqual(['dmg']);
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon).toBe('resources/icon.png');
      const png = readFileSync(resolve(String(icon)));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // electron-builder makes .ico and .icns from a PNG of at least 512 × 512.
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
      expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
    }
  });

  it('sets the Electron fuses: no RunAsNode, no NODE_OPTIONS, encrypted cookies, ASAR integrity', async () => {
    const config = await getConfig(root, resolve('electron-builder.yml'), null);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).toBe(true);
  });

  it('ships the built app and the proof font, and publishes nothing (auto-update is off)', async () => {
    const config = await getConfig(root, resolve('electron-builder.yml'), null);
    // The loader normalises these lists into { filter } objects.
    expect(JSON.stringify(config.files)).toContain('"out/**/*"');
    expect(JSON.stringify(config.extraResources)).toContain('{"from":"resources/fonts","to":"fonts"}');
    expect(existsSync(resolve('resources/fonts/DejaVuSans.ttf'))).toBe(true);
    expect(config.publish).toBeNull();
    const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { main: string; scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.main.startsWith('out/')).toBe(true);
    expect(pkg.devDependencies['electron-builder']).toBeTruthy();
    expect(pkg.scripts.package).toBe('electron-vite build && electron-builder --config electron-builder.yml');
  });
});
