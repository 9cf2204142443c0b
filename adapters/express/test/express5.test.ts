import { runAdapterScenarios } from '@share/test-utils'
import express from 'express'
import { buildApps } from './apps.js'

runAdapterScenarios('express 5', buildApps(express as never), { guards: true })
